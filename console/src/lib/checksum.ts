import type { ChecksumSettings, ChecksumSettingsInput } from '../api/types';

/** The checksum database form as typed: databases one a line, `<verifier key>` optionally followed by its URL. */
export interface ChecksumForm {
  verification: 'off' | 'warn' | 'enforce';
  databases: string;
  privatePatterns: string;
  answerValiditySeconds: string;
}

export function checksumForm(settings: ChecksumSettings): ChecksumForm {
  return {
    verification: settings.verification,
    databases: settings.databases.map((d) => (d.url ? `${d.key} ${d.url}` : d.key)).join('\n'),
    privatePatterns: settings.privatePatterns.join('\n'),
    answerValiditySeconds: String(settings.answerValiditySeconds),
  };
}

/** The PUT body for the form; empty lists and an empty validity take the server's defaults. */
export function checksumBody(form: ChecksumForm): { body: ChecksumSettingsInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const body: ChecksumSettingsInput = { verification: form.verification };
  const databases = form.databases.split('\n').map((line) => line.trim()).filter((line) => line !== '')
    .map((line) => {
      const [key, url, ...rest] = line.split(/\s+/);
      if (rest.length) {
        errors.databases = 'takes one verifier key a line, optionally followed by the database URL';
      }
      return url ? { key, url } : { key };
    });
  if (databases.length) {
    body.databases = databases;
  }
  body.privatePatterns = form.privatePatterns.split(/[\n,]/).map((p) => p.trim()).filter((p) => p !== '');
  const validity = form.answerValiditySeconds.trim();
  if (validity !== '') {
    if (!/^\d+$/.test(validity)) {
      errors.answerValiditySeconds = 'must be a whole number of seconds';
    } else {
      body.answerValiditySeconds = Number(validity);
    }
  }
  return { body, errors };
}
