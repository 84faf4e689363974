import { describe, expect, it } from 'vitest';
import { checksumBody, checksumForm } from '../../src/lib/checksum';

describe('checksum database form', () => {
  it('round-trips stored settings', () => {
    const stored = { verification: 'warn' as const, answerValiditySeconds: 60, privatePatterns: ['git.corp/*'],
      databases: [{ name: 'sum.golang.org', key: 'sum.golang.org+033de0ae+Ac4z', url: null },
        { name: 'sum.corp', key: 'sum.corp+1+K', url: 'https://sum.corp' }] };
    const form = checksumForm(stored);
    expect(form.databases).toBe('sum.golang.org+033de0ae+Ac4z\nsum.corp+1+K https://sum.corp');
    expect(checksumBody(form)).toEqual({ errors: {}, body: { verification: 'warn', answerValiditySeconds: 60,
      privatePatterns: ['git.corp/*'], databases: [{ key: 'sum.golang.org+033de0ae+Ac4z' },
        { key: 'sum.corp+1+K', url: 'https://sum.corp' }] } });
  });

  it('leaves empty databases and validity to the defaults and names what it cannot read', () => {
    expect(checksumBody({ verification: 'off', databases: ' \n', privatePatterns: 'a.com, b.com',
      answerValiditySeconds: '' })).toEqual({ errors: {}, body: { verification: 'off',
      privatePatterns: ['a.com', 'b.com'] } });
    expect(checksumBody({ verification: 'enforce', databases: 'k u extra', privatePatterns: '',
      answerValiditySeconds: '1m' }).errors).toEqual({
      databases: 'takes one verifier key a line, optionally followed by the database URL',
      answerValiditySeconds: 'must be a whole number of seconds' });
  });
});
