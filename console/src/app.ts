import { reactive, type Ref } from 'vue';
import { ApiClient, ApiError } from './api/client';
import { VregApi } from './api/vreg';
import { SessionKeeper } from './lib/session';
import { useAbilities } from './lib/permissions';

/** The console's one session and API client, shared by every page. */
export const sessions = new SessionKeeper(window.sessionStorage);

export const auth = reactive({
  username: sessions.get()?.username ?? null as string | null,
  expired: false,
  /** How the last sign-out went: ended on the server, or only forgotten here because vreg could not be told. */
  signedOut: null as null | 'ended' | 'forgotten',
});

let renewTimer: number | undefined;

export const api = new VregApi(new ApiClient({
  credential: () => sessions.token(),
  onUnauthorized: () => {
    if (auth.username) {
      auth.expired = true;
    }
    forget();
  },
}));

function forget(): void {
  window.clearTimeout(renewTimer);
  sessions.clear();
  auth.username = null;
}

function scheduleRenewal(): void {
  window.clearTimeout(renewTimer);
  const delay = sessions.renewIn();
  if (delay !== null) {
    renewTimer = window.setTimeout(async () => {
      try {
        const session = await api.renewSession();
        sessions.keep(session, auth.username ?? '');
        scheduleRenewal();
      } catch {
        // A session that cannot be renewed ends at its expiry; the next call then asks to sign in again.
      }
    }, Math.min(delay, 2_000_000_000));
  }
}

/** Exchanges the personal token for a session; the token itself is dropped as soon as this returns. */
export async function signIn(personalToken: string): Promise<void> {
  const session = await api.createSession(personalToken.trim());
  sessions.keep(session, session.username ?? '');
  auth.username = session.username ?? (await api.currentUser()).username;
  sessions.keep(session, auth.username);
  auth.expired = false;
  auth.signedOut = null;
  scheduleRenewal();
}

/**
 * Ends the session on the server (on every node, with the sessions renewed from it) and forgets it in this tab. When
 * vreg cannot be told, the tab forgets it all the same and says so: the session then lasts until it expires.
 */
export async function signOut(): Promise<void> {
  let ended = true;
  if (sessions.token()) {
    try {
      await api.endSession();
    } catch (e) {
      // A session that is already over (401) needs no ending.
      ended = e instanceof ApiError && e.status === 401;
    }
  }
  forget();
  auth.expired = false;
  auth.signedOut = ended ? 'ended' : 'forgotten';
}

scheduleRenewal();

let admin: Promise<boolean> | null = null;
let adminOf: string | null = null;

/** Whether the signed-in user is the instance admin, asked once per session. */
export function isAdmin(): Promise<boolean> {
  const token = sessions.token();
  if (admin === null || adminOf !== token) {
    adminOf = token;
    admin = api.currentUser().then((u) => u.admin).catch((e) => {
      admin = null;
      throw e;
    });
  }
  return admin;
}

/** What the signed-in person may do in `group` (see lib/permissions). */
export function groupAbilities(group: Ref<string>): ReturnType<typeof useAbilities> {
  return useAbilities(group, {
    role: async (name) => (await api.group(name)).role,
    scopes: () => sessions.get()?.scopes ?? [],
    admin: isAdmin,
  });
}
