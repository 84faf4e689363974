import { describe, expect, it } from 'vitest';
import type { JsonSchema, Upstream } from '../../src/api/types';
import { fieldsOf, hintsFrom, labelFor, settingsFrom, valuesFrom } from '../../src/lib/schemaForm';
import { SessionKeeper, type KeyValueStore } from '../../src/lib/session';
import { emptyForm, formFrom, testBody, upstreamBody } from '../../src/lib/upstreamForm';

const schema: JsonSchema = {
  type: 'object',
  required: ['mode'],
  properties: {
    probePath: { type: 'string', description: 'what a test GETs', default: 'x/@v/list', maxLength: 1024 },
    mode: { type: 'string', enum: ['strict', 'warn', 'off'] },
    retries: { type: 'integer', minimum: 0 },
    verify: { type: 'boolean', default: true },
    noSumDb: { type: 'array', items: { type: 'string' } },
    extra: { type: 'object' },
  },
};

describe('fieldsOf', () => {
  it('makes one input per property with its control, label, hint and placeholder', () => {
    const fields = fieldsOf(schema);
    expect(fields.map((f) => [f.name, f.control])).toEqual([['probePath', 'text'], ['mode', 'select'],
      ['retries', 'integer'], ['verify', 'boolean'], ['noSumDb', 'lines'], ['extra', 'json']]);
    expect(fields[0]).toMatchObject({ label: 'Probe path', description: 'what a test GETs', placeholder: 'x/@v/list',
      required: false, maxLength: 1024 });
    expect(fields[1]).toMatchObject({ required: true, options: ['strict', 'warn', 'off'] });
    expect(fieldsOf(undefined)).toEqual([]);
    expect(labelFor('checksum_database', {})).toBe('Checksum database');
    expect(labelFor('x', { title: 'Given' })).toBe('Given');
  });
});

describe('settings from a form', () => {
  const fields = fieldsOf(schema);

  it('round-trips stored settings and leaves empty optional fields out', () => {
    const stored = { probePath: 'a/@v/list', mode: 'warn', retries: 3, verify: false, noSumDb: ['a.com', 'b.com'],
      extra: { k: 1 } };
    const values = valuesFrom(fields, stored);
    expect(values.noSumDb).toBe('a.com\nb.com');
    expect(settingsFrom(fields, values)).toEqual({ settings: stored, errors: {} });
    const empty = valuesFrom(fields, {});
    expect(empty.verify).toBe(true);
    expect(settingsFrom(fields, { ...empty, mode: 'off' })).toEqual({ settings: { mode: 'off' }, errors: {} });
  });

  it('names values that cannot be the schema type', () => {
    const values = { ...valuesFrom(fields, {}), retries: 'three', extra: '{' };
    expect(settingsFrom(fields, values).errors).toEqual({ retries: 'must be a whole number', extra: 'must be JSON' });
  });

  it('reads module hints one a line or comma-separated', () => {
    expect(hintsFrom('example.com/a, *.corp.example\n\n git.x/y ')).toEqual(['example.com/a', '*.corp.example',
      'git.x/y']);
  });
});

const stored: Upstream = {
  id: 4, name: 'proxy', kind: 'goproxy', url: 'https://proxy.example', settings: { probePath: 'a/@v/list' },
  moduleHints: ['example.com/a'], metadataValiditySeconds: 300, contentValiditySeconds: null,
  transferDeadlineSeconds: null, minTransferRate: null, credentialsSet: true, allowPrivateNetwork: false,
  status: { state: 'unknown' }, usedBy: [], createdAt: '', updatedAt: '',
};

describe('upstream bodies', () => {
  const fields = fieldsOf({ type: 'object', properties: { probePath: { type: 'string' } } });

  it('sends everything with a value on creation, credentials included', () => {
    const form = { ...emptyForm(), kind: 'goproxy', url: ' https://p.example ', credentialsMode: 'token' as const,
      token: 'secret', moduleHints: 'example.com/a', metadataValiditySeconds: '60',
      settings: { probePath: 'x/@v/list' } };
    expect(upstreamBody(form, fields)).toEqual({ errors: {}, body: { kind: 'goproxy', url: 'https://p.example',
      settings: { probePath: 'x/@v/list' }, moduleHints: ['example.com/a'], metadataValiditySeconds: 60,
      credentials: { token: 'secret' } } });
  });

  it('sends only what changed on an edit, and keeps stored credentials unless replaced or removed', () => {
    const form = formFrom(stored, valuesFrom(fields, stored.settings));
    expect(form.credentialsMode).toBe('keep');
    expect(upstreamBody(form, fields, stored)).toEqual({ body: {}, errors: {} });
    expect(upstreamBody({ ...form, name: 'renamed', moduleHints: '' }, fields, stored).body)
      .toEqual({ name: 'renamed', moduleHints: [] });
    expect(upstreamBody({ ...form, credentialsMode: 'none' }, fields, stored).body).toEqual({ credentials: null });
    expect(upstreamBody({ ...form, credentialsMode: 'basic', username: 'u', password: 'p' }, fields, stored).body)
      .toEqual({ credentials: { username: 'u', password: 'p' } });
  });

  it('names numbers that are not whole and never sends them', () => {
    const { body, errors } = upstreamBody({ ...emptyForm(), kind: 'goproxy', url: 'https://p',
      contentValiditySeconds: '1.5', minTransferRate: '-1' }, fields);
    expect(errors).toEqual({ contentValiditySeconds: 'must be a whole number of zero or more',
      minTransferRate: 'must be a whole number of zero or more' });
    expect(body.contentValiditySeconds).toBeUndefined();
  });

  it('tests an edit as a whole configuration, saying when stored credentials cannot be sent', () => {
    const test = testBody(formFrom(stored, valuesFrom(fields, stored.settings)), fields);
    expect(test.body).toMatchObject({ kind: 'goproxy', url: 'https://proxy.example', moduleHints: ['example.com/a'] });
    expect(test.body.credentials).toBeUndefined();
    expect(test.withoutStoredCredentials).toBe(true);
  });
});

class MemoryStore implements KeyValueStore {
  readonly items = new Map<string, string>();
  getItem(key: string) { return this.items.get(key) ?? null; }
  setItem(key: string, value: string) { this.items.set(key, value); }
  removeItem(key: string) { this.items.delete(key); }
}

describe('SessionKeeper', () => {
  const session = { accessToken: 'jwt', tokenType: 'Bearer' as const, expiresAt: '2030-01-01T08:00:00Z',
    expiresIn: 28800, scopes: ['read', 'write'] };

  it('keeps the session, never anything else, and reads it back after a reload', () => {
    const store = new MemoryStore();
    let now = Date.parse('2030-01-01T00:00:00Z');
    new SessionKeeper(store, () => now).keep(session, 'ada');
    expect([...store.items.values()].join()).not.toContain('vreg_');
    const again = new SessionKeeper(store, () => now);
    expect(again.token()).toBe('jwt');
    expect(again.get()?.username).toBe('ada');
    expect(again.renewIn()).toBe(Math.floor(8 * 3600 * 1000 * 0.8));
    now = Date.parse('2030-01-01T08:00:00Z');
    expect(again.token()).toBeNull();
    expect(store.items.size).toBe(0);
  });

  it('forgets on clear and ignores what it cannot read', () => {
    const store = new MemoryStore();
    store.setItem('vreg.session', '{broken');
    const keeper = new SessionKeeper(store);
    expect(keeper.get()).toBeNull();
    keeper.keep(session, 'ada');
    keeper.clear();
    expect(keeper.get()).toBeNull();
    expect(store.items.size).toBe(0);
  });
});
