/** The audit log page's ranges: the last day, week or month ending now, as the API's `from` and `to` instants. */

export type AuditRange = '24h' | '7d' | '30d' | '90d';

export const auditRanges: { value: AuditRange; label: string }[] = [
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: '90d', label: 'Last 90 days' },
];

const HOURS: Record<AuditRange, number> = { '24h': 24, '7d': 7 * 24, '30d': 30 * 24, '90d': 90 * 24 };

export function auditRange(value: unknown): AuditRange {
  return typeof value === 'string' && value in HOURS ? (value as AuditRange) : '7d';
}

/** `from` and `to` of a range ending at `now` (the end a second later, so what just happened is in). */
export function auditWindow(range: AuditRange, now: number = Date.now()): { from: string; to: string } {
  const to = Math.ceil(now / 1000) * 1000 + 1000;
  return { from: new Date(to - HOURS[range] * 3_600_000).toISOString(), to: new Date(to).toISOString() };
}

/** The filters in the page's address, as the API takes them (empty ones left out). */
export function auditFilters(query: Record<string, unknown>):
  { actor?: string; action?: string; registry?: string; group?: string } {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
  return { actor: text(query.actor), action: text(query.action), registry: text(query.registry),
    group: text(query.group) };
}

/** An action as a person reads it. */
const ACTIONS: Record<string, string> = {
  'request.blocked': 'Pull refused',
  'cache.entries.deleted': 'Cache entries deleted',
};

export function actionLabel(action: string): string {
  return ACTIONS[action] ?? action;
}
