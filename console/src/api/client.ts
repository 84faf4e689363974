import { ApiError, problemFrom, unreachable } from './errors';

export type Query = Record<string, string | number | boolean | undefined | null>;

/** The admin API under `/api/v1`, called with the session's credential. */
export class ApiClient {
  private readonly base: string;
  private readonly credential: () => string | null;
  private readonly fetcher: typeof fetch;
  private readonly onUnauthorized: () => void;

  constructor(options: {
    base?: string;
    credential: () => string | null;
    fetcher?: typeof fetch;
    onUnauthorized?: () => void;
  }) {
    this.base = options.base ?? '/api/v1';
    this.credential = options.credential;
    this.fetcher = options.fetcher ?? ((input, init) => globalThis.fetch(input, init));
    this.onUnauthorized = options.onUnauthorized ?? (() => {});
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, undefined, query);
  }

  post<T>(path: string, body?: unknown, query?: Query): Promise<T> {
    return this.request<T>('POST', path, body, query);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  delete<T = void>(path: string, query?: Query): Promise<T> {
    return this.request<T>('DELETE', path, undefined, query);
  }

  /** A file the API answers (an export), read whole, with the name its Content-Disposition gives. */
  async download(path: string, query?: Query): Promise<Download> {
    const headers: Record<string, string> = {};
    const credential = this.credential();
    if (credential) {
      headers.Authorization = `Bearer ${credential}`;
    }
    let response: Response;
    try {
      response = await this.fetcher(this.base + path + queryString(query),
        { method: 'GET', headers, credentials: 'omit', cache: 'no-store' });
    } catch (cause) {
      throw unreachable(cause);
    }
    if (!response.ok) {
      const error = await problemFrom(response);
      if (response.status === 401) {
        this.onUnauthorized();
      }
      throw error;
    }
    const disposition = response.headers.get('content-disposition') ?? '';
    const named = /filename="([^"]+)"/.exec(disposition);
    return { blob: await response.blob(), filename: named ? named[1] : path.split('/').pop() ?? 'download' };
  }

  /** Sends one call; answers the JSON body (undefined for 204), or throws an {@link ApiError}. */
  async request<T>(method: string, path: string, body?: unknown, query?: Query, bearer?: string): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const credential = bearer ?? this.credential();
    if (credential) {
      headers.Authorization = `Bearer ${credential}`;
    }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await this.fetcher(this.base + path + queryString(query), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (cause) {
      throw unreachable(cause);
    }
    if (!response.ok) {
      const error = await problemFrom(response);
      if (response.status === 401 && bearer === undefined) {
        this.onUnauthorized();
      }
      throw error;
    }
    if (response.status === 204) {
      return undefined as T;
    }
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/** `/a/b` from segments, each percent-encoded, so a name can never reach another path. */
export function path(...segments: Array<string | number>): string {
  return segments.map((s) => {
    const text = String(s);
    // URL parsing would resolve a '.' or '..' segment instead of sending it.
    return '/' + (text === '.' || text === '..' ? text.replace(/\./g, '%2E') : encodeURIComponent(text));
  }).join('');
}

export function queryString(query?: Query): string {
  if (!query) {
    return '';
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? '?' + text : '';
}

export interface Download {
  blob: Blob;
  filename: string;
}

export { ApiError };
