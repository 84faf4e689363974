import { reactive, watch, type Ref } from 'vue';
import type { Role } from '../api/types';

/**
 * What the signed-in person may do in a group, as the admin API decides it: the role (the instance admin counts as
 * owner everywhere) and the session's scopes (`read` only reads; `write` also changes; `admin` also does what only
 * the instance admin may). Pages hide or disable what would be refused, and still show the API's answer if it is.
 */
export interface Abilities {
  role: Role | null;
  /** Reads what only maintainers and owners see (webhooks, the audit log). */
  maintainer: boolean;
  /** Changes the group's configuration. */
  change: boolean;
  /** The instance admin with an admin-scoped session: the instance audit log. */
  instanceAdmin: boolean;
}

const RANK: Record<Role, number> = { reader: 1, maintainer: 2, owner: 3 };

export function abilities(role: Role | null, scopes: readonly string[], admin: boolean): Abilities {
  const maintainer = role !== null && RANK[role] >= RANK.maintainer;
  const writes = scopes.includes('write') || scopes.includes('admin');
  return { role, maintainer, change: maintainer && writes, instanceAdmin: admin && scopes.includes('admin') };
}

/** Why a control is disabled, in one sentence for the page. */
export function refusal(can: Abilities): string {
  if (!can.maintainer) {
    return `Your role in this group is ${can.role ?? 'unknown'}: only maintainers and owners may change this.`;
  }
  return 'Your session was made from a read-only token: sign in with a token that has the write scope to change this.';
}

/**
 * The abilities in `group`, kept current as the group changes. Until they are known every change is disabled, so
 * nothing is offered that the API would refuse.
 */
export function useAbilities(group: Ref<string>, load: {
  role: (group: string) => Promise<Role>;
  scopes: () => readonly string[];
  admin: () => Promise<boolean>;
}): Abilities & { known: boolean } {
  const state = reactive({ ...abilities(null, [], false), known: false });
  watch(group, async (name) => {
    state.known = false;
    try {
      const [role, admin] = await Promise.all([load.role(name), load.admin()]);
      Object.assign(state, abilities(role, load.scopes(), admin), { known: true });
    } catch {
      // Unknown abilities leave changes disabled; the page's own call reports what failed.
      Object.assign(state, abilities(null, [], false));
    }
  }, { immediate: true });
  return state;
}
