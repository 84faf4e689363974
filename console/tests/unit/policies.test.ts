import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors';
import { ApiClient } from '../../src/api/client';
import { VregApi } from '../../src/api/vreg';
import { actionLabel, auditFilters, auditRange, auditWindow } from '../../src/lib/audit';
import { filtersBody, row, rows, ruleError, shownFields, unchanged, verdictSummary } from '../../src/lib/filters';

describe('filter rules', () => {
  it('saves trimmed rules in the order shown, leaving out empty versions and reasons', () => {
    const edited = [
      { ...row(), action: 'allow' as const, pattern: ' example.com/lib ', versions: ' = v1.4.1 ', reason: '' },
      { ...row(), action: 'deny' as const, pattern: 'example.com/lib', versions: '< v1.4.2', reason: ' CVE ' },
      { ...row(), pattern: 'github.com/*', versions: '  ', reason: '' },
    ];
    expect(filtersBody('deny-list', edited)).toEqual({
      mode: 'deny-list',
      rules: [
        { action: 'allow', pattern: 'example.com/lib', versions: '= v1.4.1' },
        { action: 'deny', pattern: 'example.com/lib', versions: '< v1.4.2', reason: 'CVE' },
        { action: 'deny', pattern: 'github.com/*' },
      ],
    });
  });

  it('gives every row its own key and reads saved rules back unchanged', () => {
    const saved = { mode: 'allow-list' as const, rules: [
      { action: 'allow' as const, pattern: 'a.example', versions: null, reason: null },
      { action: 'deny' as const, pattern: 'b.example', versions: 'pseudo', reason: 'no pseudo-versions' },
    ] };
    const read = rows(saved);
    expect(new Set(read.map((r) => r.key)).size).toBe(2);
    expect(unchanged(saved, 'allow-list', read)).toBe(true);
    expect(unchanged(saved, 'deny-list', read)).toBe(false);
    expect(unchanged(saved, 'allow-list', [read[1], read[0]])).toBe(false);
    expect(unchanged(saved, 'allow-list', [{ ...read[0], reason: 'x' }, read[1]])).toBe(false);
  });

  it('finds the server’s field errors of each rule by its index', () => {
    const refused = new ApiError(422, 'Invalid request', 'the request has 2 invalid field(s)', [
      { field: 'rules[1].versions', message: 'must be a version condition such as < v1.4.2' },
      { field: 'rules[0]', message: 'must be an object' },
      { field: 'rules[7].pattern', message: 'is required' },
    ]);
    expect(ruleError(refused, 1, 'versions')).toBe('must be a version condition such as < v1.4.2');
    expect(ruleError(refused, 0, 'versions')).toBeUndefined();
    expect(ruleError(refused, 0, null)).toBe('must be an object');
    expect(ruleError(null, 1, 'versions')).toBeUndefined();
    expect(ruleError(new Error('offline'), 1, 'versions')).toBeUndefined();
    // Two rules on the form: the error about a rule it does not show is listed rather than lost.
    expect(refused.otherFieldErrors(shownFields(2)).map((e) => e.field)).toEqual(['rules[7].pattern']);
  });

  it('says what decided a verdict', () => {
    expect(verdictSummary(false, 2, 'deny-list')).toBe('Refused by rule 2.');
    expect(verdictSummary(true, 1, 'allow-list')).toBe('Allowed by rule 1.');
    expect(verdictSummary(true, null, 'deny-list')).toContain('deny-list registry admits');
    expect(verdictSummary(false, null, 'allow-list')).toContain('allow-list group or registry refuses');
    expect(verdictSummary(false, 1, 'deny-list', 'group')).toBe('Refused by group rule 1.');
    expect(verdictSummary(true, 3, 'deny-list', 'registry')).toBe('Allowed by rule 3.');
  });
});

describe('audit log', () => {
  it('reads a range from the address, a week when it names none it knows', () => {
    expect(auditRange('24h')).toBe('24h');
    expect(auditRange('90d')).toBe('90d');
    expect(auditRange('1y')).toBe('7d');
    expect(auditRange(undefined)).toBe('7d');
  });

  it('ends a range just after now, so what just happened is in', () => {
    const now = Date.parse('2026-03-10T12:00:00.400Z');
    expect(auditWindow('24h', now)).toEqual({ from: '2026-03-09T12:00:02.000Z', to: '2026-03-10T12:00:02.000Z' });
    expect(auditWindow('7d', now).from).toBe('2026-03-03T12:00:02.000Z');
  });

  it('reads the filters from the address, leaving out empty ones', () => {
    expect(auditFilters({ actor: ' sam ', action: 'registry.*', registry: '', range: '7d' }))
      .toEqual({ actor: 'sam', action: 'registry.*', registry: undefined });
    expect(auditFilters({ actor: ['a', 'b'] })).toEqual({ actor: undefined, action: undefined, registry: undefined });
  });

  it('names actions', () => {
    expect(actionLabel('request.blocked')).toBe('Pull refused');
    expect(actionLabel('cache.entries.deleted')).toBe('Cache entries deleted');
    expect(actionLabel('token.created')).toBe('token.created');
  });
});

describe('policy and session calls', () => {
  function api(answers: Response[]): { api: VregApi; calls: { url: string; init: RequestInit }[] } {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetcher = (async (url: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: String(url), init: init ?? {} });
      return answers.shift()!;
    }) as typeof fetch;
    return { api: new VregApi(new ApiClient({ credential: () => 'jwt', fetcher })), calls };
  }
  const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200,
    headers: { 'Content-Type': 'application/json' } });

  it('signs out with DELETE /session, and asks the documented filter and audit operations', async () => {
    const { api: vreg, calls } = api([new Response(null, { status: 204 }), json({ mode: 'deny-list', rules: [] }),
      json({ allowed: true }), json({ events: [], next: null })]);
    await vreg.endSession();
    await vreg.putFilters('acme', 'main', { mode: 'deny-list', rules: [] });
    await vreg.explainFilters('acme', 'main', { module: 'example.com/lib' });
    await vreg.auditEvents('acme', { from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z', cursor: '42',
      limit: 50 });
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      'DELETE /api/v1/session',
      'PUT /api/v1/groups/acme/registries/main/filters',
      'POST /api/v1/groups/acme/registries/main/filters/explain',
      'GET /api/v1/groups/acme/audit-events?from=2026-03-01T00%3A00%3A00Z&to=2026-03-02T00%3A00%3A00Z&cursor=42&limit=50',
    ]);
    expect(calls[2].init.body).toBe('{"module":"example.com/lib"}');
  });
});
