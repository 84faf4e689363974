import type { Credentials, Upstream, UpstreamInput } from '../api/types';
import { hintsFrom, settingsFrom, type FormValues, type SchemaField } from './schemaForm';

/** What the upstream form holds: text as typed, turned into an API body by {@link upstreamBody}. */
export interface UpstreamFormState {
  kind: string;
  name: string;
  url: string;
  credentialsMode: 'keep' | 'none' | 'basic' | 'token';
  username: string;
  password: string;
  token: string;
  moduleHints: string;
  metadataValiditySeconds: string;
  contentValiditySeconds: string;
  transferDeadlineSeconds: string;
  minTransferRate: string;
  allowPrivateNetwork: boolean;
  settings: FormValues;
}

export const NUMBER_FIELDS = ['metadataValiditySeconds', 'contentValiditySeconds', 'transferDeadlineSeconds',
  'minTransferRate'] as const;

export function emptyForm(): UpstreamFormState {
  return {
    kind: '', name: '', url: '', credentialsMode: 'none', username: '', password: '', token: '', moduleHints: '',
    metadataValiditySeconds: '', contentValiditySeconds: '', transferDeadlineSeconds: '', minTransferRate: '',
    allowPrivateNetwork: false, settings: {},
  };
}

/** The form for a stored upstream; its credentials are never shown, only kept unless replaced or removed. */
export function formFrom(upstream: Upstream, settings: FormValues): UpstreamFormState {
  const text = (value: number | null) => (value === null || value === undefined ? '' : String(value));
  return {
    ...emptyForm(),
    kind: upstream.kind,
    name: upstream.name,
    url: upstream.url,
    credentialsMode: upstream.credentialsSet ? 'keep' : 'none',
    moduleHints: upstream.moduleHints.join('\n'),
    metadataValiditySeconds: text(upstream.metadataValiditySeconds),
    contentValiditySeconds: text(upstream.contentValiditySeconds),
    transferDeadlineSeconds: text(upstream.transferDeadlineSeconds),
    minTransferRate: text(upstream.minTransferRate),
    allowPrivateNetwork: upstream.allowPrivateNetwork,
    settings,
  };
}

function credentials(form: UpstreamFormState): Credentials | undefined {
  switch (form.credentialsMode) {
    case 'basic':
      return { username: form.username, password: form.password };
    case 'token':
      return { token: form.token };
    case 'none':
      return null;
    default:
      return undefined;
  }
}

/**
 * The API body for the form: on creation every field that has a value; on an edit (`original` given) only what
 * changed, so absent fields stay as they are. Errors are keyed by the API's field names.
 */
export function upstreamBody(form: UpstreamFormState, fields: SchemaField[], original?: Upstream):
  { body: UpstreamInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const body: UpstreamInput = {};
  const { settings, errors: settingErrors } = settingsFrom(fields, form.settings);
  for (const [name, message] of Object.entries(settingErrors)) {
    errors[`settings.${name}`] = message;
  }
  const numbers: Partial<Record<(typeof NUMBER_FIELDS)[number], number>> = {};
  for (const field of NUMBER_FIELDS) {
    const text = form[field].trim();
    if (text === '') {
      continue;
    }
    if (!/^\d+$/.test(text)) {
      errors[field] = 'must be a whole number of zero or more';
    } else {
      numbers[field] = Number(text);
    }
  }
  const hints = hintsFrom(form.moduleHints);
  const creds = credentials(form);
  if (!original) {
    body.kind = form.kind;
    body.url = form.url.trim();
    if (form.name.trim()) {
      body.name = form.name.trim();
    }
    body.settings = settings;
    if (hints.length) {
      body.moduleHints = hints;
    }
    Object.assign(body, numbers);
    if (form.allowPrivateNetwork) {
      body.allowPrivateNetwork = true;
    }
    if (creds) {
      body.credentials = creds;
    }
    return { body, errors };
  }
  if (form.name.trim() !== original.name) {
    body.name = form.name.trim();
  }
  if (form.url.trim() !== original.url) {
    body.url = form.url.trim();
  }
  if (JSON.stringify(settings) !== JSON.stringify(original.settings ?? {})) {
    body.settings = settings;
  }
  if (JSON.stringify(hints) !== JSON.stringify(original.moduleHints)) {
    body.moduleHints = hints;
  }
  for (const field of NUMBER_FIELDS) {
    if (numbers[field] !== undefined && numbers[field] !== original[field]) {
      body[field] = numbers[field];
    }
  }
  if (form.allowPrivateNetwork !== original.allowPrivateNetwork) {
    body.allowPrivateNetwork = form.allowPrivateNetwork;
  }
  if (creds !== undefined && !(creds === null && !original.credentialsSet)) {
    body.credentials = creds;
  }
  return { body, errors };
}

/**
 * The body for testing the form before it is saved: everything a creation would send. An edit whose stored
 * credentials are kept cannot send them (they are never returned), so the test runs without them.
 */
export function testBody(form: UpstreamFormState, fields: SchemaField[]):
  { body: UpstreamInput; errors: Record<string, string>; withoutStoredCredentials: boolean } {
  const { body, errors } = upstreamBody(form, fields);
  return { body, errors, withoutStoredCredentials: form.credentialsMode === 'keep' };
}
