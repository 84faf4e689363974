import type { LifecyclePolicy, LifecyclePolicyInput } from '../api/types';

/** The lifecycle form as typed: text, so a wrong value reaches the API and comes back as its field error. */
export interface LifecycleForm {
  unusedDays: string;
  keepNewest: string;
  everyHours: string;
  enabled: boolean;
}

export function lifecycleForm(policy: LifecyclePolicy | null): LifecycleForm {
  return policy
    ? { unusedDays: String(policy.unusedDays), keepNewest: String(policy.keepNewest),
      everyHours: String(policy.everyHours), enabled: policy.enabled }
    : { unusedDays: '30', keepNewest: '0', everyHours: '24', enabled: true };
}

/** A whole number as typed, or the text itself, which the API then refuses naming the field. */
function number(text: string): number {
  const trimmed = text.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : (trimmed as unknown as number);
}

/** The body of `PUT .../lifecycle`; an empty optional field takes the API's default. */
export function lifecycleBody(form: LifecycleForm): LifecyclePolicyInput {
  const body: LifecyclePolicyInput = { unusedDays: number(form.unusedDays), enabled: form.enabled };
  if (form.keepNewest.trim()) {
    body.keepNewest = number(form.keepNewest);
  }
  if (form.everyHours.trim()) {
    body.everyHours = number(form.everyHours);
  }
  return body;
}

/** A policy in one sentence, as the overview lists it. */
export function lifecycleSummary(policy: LifecyclePolicy): string {
  const days = policy.unusedDays === 1 ? '1 day' : `${policy.unusedDays} days`;
  const keep = policy.keepNewest > 0
    ? `, keeping the ${policy.keepNewest === 1 ? 'newest version' : `${policy.keepNewest} newest versions`} of each module`
    : '';
  const every = policy.enabled
    ? `every ${policy.everyHours === 1 ? 'hour' : `${policy.everyHours} hours`}` : 'only when run by hand';
  return `Deletes files not pulled for ${days}${keep}; runs ${every}.`;
}

/** Where a page keeps the chosen target in its address: `registry:main` or `upstream:12`. */
export function targetKey(target: { registry: string } | { upstreamId: number }): string {
  return 'registry' in target ? `registry:${target.registry}` : `upstream:${target.upstreamId}`;
}

export function parseTarget(key: unknown): { registry: string } | { upstreamId: number } | null {
  if (typeof key !== 'string') {
    return null;
  }
  const registry = /^registry:(.+)$/.exec(key);
  if (registry) {
    return { registry: registry[1] };
  }
  const upstream = /^upstream:(\d+)$/.exec(key);
  return upstream ? { upstreamId: Number(upstream[1]) } : null;
}
