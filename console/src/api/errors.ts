/** A field the server refused, as the admin API lists them in a problem's `errors`. */
export interface FieldError {
  field: string;
  message: string;
}

/** What went wrong with one admin API call, worded for the person in front of the console. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly fieldErrors: FieldError[];

  constructor(status: number, title: string, detail: string, fieldErrors: FieldError[] = []) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.fieldErrors = fieldErrors;
  }

  /** The messages for `field` and the fields below it (`settings` also answers for `settings.probePath`). */
  messageFor(field: string): string | undefined {
    const messages = this.fieldErrors
      .filter((e) => e.field === field)
      .map((e) => e.message);
    return messages.length ? messages.join('; ') : undefined;
  }

  /** Field errors whose field is not among `shown`, so a form can list them rather than lose them. */
  otherFieldErrors(shown: string[]): FieldError[] {
    return this.fieldErrors.filter((e) => !shown.includes(e.field));
  }
}

const FALLBACK_BY_STATUS: Record<number, string> = {
  400: 'The request was not understood.',
  401: 'You are not signed in, or your session has ended. Sign in again.',
  403: 'You are not allowed to do this: your role or your token’s scopes are too small.',
  404: 'It does not exist, or you have no role in its group.',
  409: 'This conflicts with what exists.',
  413: 'The request is too large.',
  415: 'The request was not sent as JSON.',
  422: 'Some fields are not valid.',
  429: 'Too many requests; try again in a moment.',
  502: 'An upstream answered with an error.',
  503: 'vreg cannot serve this right now (its database may be unreachable); try again shortly.',
  504: 'An upstream took too long to answer.',
};

function fallback(status: number): string {
  return FALLBACK_BY_STATUS[status] ?? (status >= 500 ? 'vreg failed to answer this request.' : 'The request failed.');
}

function asFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value
    .filter((e): e is { field: unknown; message: unknown } => typeof e === 'object' && e !== null)
    .map((e) => ({ field: String(e.field ?? ''), message: String(e.message ?? 'is not valid') }));
}

/**
 * Reads a failed answer: the problem+json `detail` and `errors` when the server sent them, otherwise a message
 * for the status (a proxy in front of vreg may answer with HTML).
 */
export async function problemFrom(response: Response): Promise<ApiError> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Record<string, unknown>;
      const detail = typeof body.detail === 'string' && body.detail ? body.detail : fallback(response.status);
      const title = typeof body.title === 'string' ? body.title : response.statusText;
      return new ApiError(response.status, title, detail, asFieldErrors(body.errors));
    } catch {
      // An unreadable body says no more than its status.
    }
  }
  return new ApiError(response.status, response.statusText, fallback(response.status));
}

/** A call that never got an answer: vreg is down, or the network between. */
export function unreachable(cause: unknown): ApiError {
  const reason = cause instanceof Error && cause.message ? ` (${cause.message})` : '';
  return new ApiError(0, 'Unreachable', `vreg could not be reached${reason}. Check your connection and try again.`);
}

/** The sentence to show for any failure a page caught. */
export function describe(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.fieldErrors.length && error.status === 422) {
      return `${error.detail} ${error.fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ')}`.trim();
    }
    return error.detail;
  }
  return error instanceof Error ? error.message : String(error);
}
