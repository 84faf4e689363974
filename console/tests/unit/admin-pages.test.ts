import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../src/api/client';
import { ApiError } from '../../src/api/errors';
import type { LifecyclePolicy, Webhook, WebhookDelivery } from '../../src/api/types';
import { VregApi } from '../../src/api/vreg';
import { lifecycleBody, lifecycleForm, lifecycleSummary, parseTarget, targetKey } from '../../src/lib/lifecycle';
import { abilities, refusal } from '../../src/lib/permissions';
import { deliveryOutcome, webhookChange, webhookForm, webhookInput } from '../../src/lib/webhooks';

const policy: LifecyclePolicy = { id: 4, registry: 'main', unusedDays: 30, keepNewest: 2, everyHours: 24,
  enabled: true, job: 'lifecycle-policy-4', updatedAt: '2026-12-01T10:00:00Z' };

describe('lifecycle policies', () => {
  it('edits a policy as text and sends numbers, an empty optional field taking the default', () => {
    const form = lifecycleForm(policy);
    expect(form).toEqual({ unusedDays: '30', keepNewest: '2', everyHours: '24', enabled: true });
    expect(lifecycleBody({ ...form, unusedDays: ' 7 ', everyHours: '' }))
      .toEqual({ unusedDays: 7, keepNewest: 2, enabled: true });
  });

  it('sends what is not a whole number as typed, for the API to refuse by name', () => {
    expect(lifecycleBody({ ...lifecycleForm(null), unusedDays: 'soon' }).unusedDays).toBe('soon');
    expect(lifecycleBody({ ...lifecycleForm(null), unusedDays: '1.5' }).unusedDays).toBe('1.5');
  });

  it('says what a policy does in one sentence', () => {
    expect(lifecycleSummary(policy))
      .toBe('Deletes files not pulled for 30 days, keeping the 2 newest versions of each module; runs every 24 hours.');
    expect(lifecycleSummary({ ...policy, unusedDays: 1, keepNewest: 0, enabled: false }))
      .toBe('Deletes files not pulled for 1 day; runs only when run by hand.');
  });

  it('keeps the chosen registry or upstream in the address and reads nothing else', () => {
    expect(parseTarget(targetKey({ registry: 'main' }))).toEqual({ registry: 'main' });
    expect(parseTarget(targetKey({ upstreamId: 12 }))).toEqual({ upstreamId: 12 });
    expect(parseTarget('upstream:twelve')).toBeNull();
    expect(parseTarget(['registry:main'])).toBeNull();
  });

  it('answers null for a registry without a policy and calls the registry’s or the upstream’s path', async () => {
    const urls: string[] = [];
    const api = new VregApi(new ApiClient({ credential: () => 's', fetcher: (async (url: RequestInfo | URL) => {
      urls.push(String(url));
      return urls.length === 1
        ? new Response(JSON.stringify({ title: 'Not Found', status: 404, detail: 'no lifecycle policy' }),
          { status: 404, headers: { 'Content-Type': 'application/problem+json' } })
        : new Response('{"cutOff":"x","count":0,"bytes":0,"reclaimableBytes":0,"truncated":false,"entries":[]}',
          { status: 200, headers: { 'Content-Type': 'application/json' } });
    }) as typeof fetch }));
    expect(await api.lifecycle('acme', { registry: 'main' })).toBeNull();
    expect((await api.dryRunLifecycle('acme', { upstreamId: 3 })).count).toBe(0);
    expect(urls).toEqual(['/api/v1/groups/acme/registries/main/lifecycle',
      '/api/v1/groups/acme/upstreams/3/lifecycle/dry-run']);
  });
});

describe('webhooks', () => {
  const hook: Webhook = { id: 2, url: 'https://hooks.example/a', events: ['request.blocked', 'entries.deleted'],
    description: null, enabled: true, createdAt: 'x', updatedAt: 'x' };

  it('creates with a secret only when one is typed', () => {
    const form = { ...webhookForm(), url: ' https://hooks.example/a ', description: ' chat ' };
    expect(webhookInput(form)).toEqual({ url: 'https://hooks.example/a', events: ['request.blocked'],
      enabled: true, description: 'chat' });
    expect(webhookInput({ ...form, secret: 's'.repeat(16) }).secret).toBe('s'.repeat(16));
  });

  it('changes only what differs, so the stored secret is kept', () => {
    const form = webhookForm(hook);
    expect(webhookChange(hook, form)).toEqual({});
    expect(webhookChange(hook, { ...form, events: ['entries.deleted', 'request.blocked'] })).toEqual({});
    expect(webhookChange(hook, { ...form, enabled: false, description: 'ops' }))
      .toEqual({ enabled: false, description: 'ops' });
    expect(webhookChange({ ...hook, description: 'ops' }, { ...form, description: ' ' })).toEqual({ description: null });
  });

  it('words a delivery’s state with its attempts and the receiver’s last answer', () => {
    const d: WebhookDelivery = { id: 1, webhookId: 2, event: 'webhook.test', state: 'delivered', attempts: 1,
      createdAt: 'x', lastAttemptAt: 'x', nextAttemptAt: null, lastStatus: 200, lastResponse: 'ok', payload: {} };
    expect(deliveryOutcome(d)).toBe('Delivered (answered 200) after 1 attempt.');
    expect(deliveryOutcome({ ...d, state: 'failed', attempts: 3, lastStatus: null }))
      .toBe('Failed after 3 attempts (the last: no answer).');
    expect(deliveryOutcome({ ...d, state: 'pending', lastStatus: 503 }))
      .toBe('Pending: answered 503 after 1 attempt; tried again later.');
  });
});

describe('abilities', () => {
  it('lets maintainers and owners change with a write or admin scope only', () => {
    expect(abilities('reader', ['read', 'write'], false)).toEqual({ role: 'reader', maintainer: false, change: false,
      instanceAdmin: false });
    expect(abilities('maintainer', ['read'], false).change).toBe(false);
    expect(abilities('maintainer', ['read'], false).maintainer).toBe(true);
    expect(abilities('owner', ['admin'], true)).toEqual({ role: 'owner', maintainer: true, change: true,
      instanceAdmin: true });
    expect(abilities('owner', ['read', 'write'], true).instanceAdmin).toBe(false);
    expect(abilities(null, ['write'], false).change).toBe(false);
  });

  it('says why a change is not offered', () => {
    expect(refusal(abilities('reader', ['write'], false))).toContain('role in this group is reader');
    expect(refusal(abilities('maintainer', ['read'], false))).toContain('write scope');
  });
});

describe('exports', () => {
  it('downloads with the session and takes the file name the API gives', async () => {
    let sent: RequestInit | undefined;
    const client = new ApiClient({ credential: () => 'session-jwt', fetcher: (async (_url: RequestInfo | URL,
      init?: RequestInit) => {
      sent = init;
      return new Response('{"id":1}\n', { status: 200, headers: { 'Content-Type': 'application/x-ndjson',
        'Content-Disposition': 'attachment; filename="vreg-audit-events.ndjson"' } });
    }) as typeof fetch });
    const file = await client.download('/audit-events.ndjson', { action: 'registry.*' });
    expect(file.filename).toBe('vreg-audit-events.ndjson');
    expect(await file.blob.text()).toBe('{"id":1}\n');
    expect((sent?.headers as Record<string, string>).Authorization).toBe('Bearer session-jwt');
  });

  it('reports a refused export as the API words it', async () => {
    const client = new ApiClient({ credential: () => 's', fetcher: (async () => new Response(
      JSON.stringify({ title: 'Forbidden', status: 403, detail: 'only the instance admin may do this' }),
      { status: 403, headers: { 'Content-Type': 'application/problem+json' } })) as typeof fetch });
    await expect(client.download('/audit-events.ndjson')).rejects.toEqual(
      new ApiError(403, 'Forbidden', 'only the instance admin may do this'));
  });
});
