import type { Webhook, WebhookChange, WebhookDelivery, WebhookEvent, WebhookInput } from '../api/types';

/** The kinds a webhook can be sent, as the API names them, with what each one means. */
export const webhookEvents: { value: WebhookEvent; label: string }[] = [
  { value: 'request.blocked', label: 'A filter rule refused a pull' },
  { value: 'entries.deleted', label: 'Cached files were deleted' },
  { value: 'policy.run.finished', label: 'A lifecycle policy run finished' },
  { value: 'upstream.test.failed', label: 'An upstream’s connection test failed' },
];

export interface WebhookForm {
  url: string;
  events: WebhookEvent[];
  description: string;
  enabled: boolean;
  /** Empty: vreg makes one (new) or keeps the one it has (edit). */
  secret: string;
}

export function webhookForm(hook?: Webhook): WebhookForm {
  return {
    url: hook?.url ?? '',
    events: (hook?.events ?? ['request.blocked']) as WebhookEvent[],
    description: hook?.description ?? '',
    enabled: hook?.enabled ?? true,
    secret: '',
  };
}

/** The body of `POST .../webhooks`. */
export function webhookInput(form: WebhookForm): WebhookInput {
  const input: WebhookInput = { url: form.url.trim(), events: [...form.events], enabled: form.enabled };
  if (form.description.trim()) {
    input.description = form.description.trim();
  }
  if (form.secret) {
    input.secret = form.secret;
  }
  return input;
}

/** The body of `PATCH .../webhooks/{id}`: only what differs from `hook`, so an unchanged secret is kept. */
export function webhookChange(hook: Webhook, form: WebhookForm): WebhookChange {
  const change: WebhookChange = {};
  if (form.url.trim() !== hook.url) {
    change.url = form.url.trim();
  }
  const events = [...form.events].sort();
  if (JSON.stringify(events) !== JSON.stringify([...hook.events].sort())) {
    change.events = events as WebhookEvent[];
  }
  const description = form.description.trim() || null;
  if (description !== hook.description) {
    change.description = description;
  }
  if (form.enabled !== hook.enabled) {
    change.enabled = form.enabled;
  }
  if (form.secret) {
    change.secret = form.secret;
  }
  return change;
}

/** A delivery's outcome as a person reads it. */
export function deliveryOutcome(d: WebhookDelivery): string {
  const answer = d.lastStatus === null ? 'no answer' : `answered ${d.lastStatus}`;
  const tries = `${d.attempts} ${d.attempts === 1 ? 'attempt' : 'attempts'}`;
  if (d.state === 'delivered') {
    return `Delivered (${answer}) after ${tries}.`;
  }
  if (d.state === 'failed') {
    return `Failed after ${tries} (the last: ${answer}).`;
  }
  return d.attempts === 0 ? 'Waiting for its first attempt.' : `Pending: ${answer} after ${tries}; tried again later.`;
}
