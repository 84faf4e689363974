import { describe, expect, it } from 'vitest';
import { ApiClient, path, queryString } from '../../src/api/client';
import { ApiError, describe as describeError, problemFrom } from '../../src/api/errors';

type Call = { url: string; init: RequestInit };

function recording(responses: Response[]): { fetcher: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetcher = (async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = responses.shift();
    if (!next) {
      throw new TypeError('Failed to fetch');
    }
    return next;
  }) as typeof fetch;
  return { fetcher, calls };
}

function problem(status: number, body: object): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json' } });
}

describe('ApiClient', () => {
  it('sends the session as a bearer credential and JSON bodies', async () => {
    const { fetcher, calls } = recording([new Response('{"name":"main"}', { status: 201,
      headers: { 'Content-Type': 'application/json' } })]);
    const client = new ApiClient({ credential: () => 'session-jwt', fetcher });
    const answer = await client.post<{ name: string }>('/groups/acme/registries', { name: 'main', format: 'go' });
    expect(answer).toEqual({ name: 'main' });
    expect(calls[0].url).toBe('/api/v1/groups/acme/registries');
    expect(calls[0].init.method).toBe('POST');
    const headers = calls[0].init.headers as Record<string, string>;
    expect(headers.Authorization).toBe('Bearer session-jwt');
    expect(headers['Content-Type']).toBe('application/json');
    expect(calls[0].init.body).toBe('{"name":"main","format":"go"}');
  });

  it('answers undefined for 204 and sends no body or content type without one', async () => {
    const { fetcher, calls } = recording([new Response(null, { status: 204 })]);
    const client = new ApiClient({ credential: () => null, fetcher });
    await expect(client.delete('/groups/acme/registries/main')).resolves.toBeUndefined();
    const headers = calls[0].init.headers as Record<string, string>;
    expect(headers.Authorization).toBeUndefined();
    expect(headers['Content-Type']).toBeUndefined();
    expect(calls[0].init.body).toBeUndefined();
  });

  it('throws the problem detail and field errors of a 422', async () => {
    const { fetcher } = recording([problem(422, { type: 'about:blank', title: 'Unprocessable Entity', status: 422,
      detail: 'invalid fields', errors: [{ field: 'name', message: 'must be lower-case' },
        { field: 'settings.probePath', message: 'must be a relative path' }] })]);
    const client = new ApiClient({ credential: () => 's', fetcher });
    const error = (await client.post('/x', {}).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(422);
    expect(error.detail).toBe('invalid fields');
    expect(error.messageFor('name')).toBe('must be lower-case');
    expect(error.messageFor('settings.probePath')).toBe('must be a relative path');
    expect(error.messageFor('url')).toBeUndefined();
    expect(error.otherFieldErrors(['name'])).toEqual([{ field: 'settings.probePath',
      message: 'must be a relative path' }]);
  });

  it('tells the app a 401 happened, except for the sign-in exchange itself', async () => {
    let told = 0;
    const { fetcher } = recording([problem(401, { detail: 'the session has expired' }),
      problem(401, { detail: 'unknown token' })]);
    const client = new ApiClient({ credential: () => 's', fetcher, onUnauthorized: () => told++ });
    await expect(client.get('/user')).rejects.toThrow('the session has expired');
    expect(told).toBe(1);
    await expect(client.request('POST', '/sessions', undefined, undefined, 'vreg_x')).rejects.toThrow('unknown token');
    expect(told).toBe(1);
  });

  it('turns a network failure into an unreachable error with status 0', async () => {
    const { fetcher } = recording([]);
    const error = (await new ApiClient({ credential: () => 's', fetcher }).get('/user').catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(0);
    expect(error.detail).toContain('could not be reached');
  });

  it('encodes path segments and leaves empty query values out', () => {
    expect(path('groups', 'a/b', 'upstreams', 7)).toBe('/groups/a%2Fb/upstreams/7');
    expect(path('groups', '..', '.')).toBe('/groups/%2E%2E/%2E');
    expect(queryString({ search: 'example.com/a b', version: '', page: 2, perPage: undefined }))
      .toBe('?search=example.com%2Fa+b&page=2');
    expect(queryString({})).toBe('');
  });
});

describe('problemFrom', () => {
  it('falls back to a sentence for the status when the body is not problem JSON', async () => {
    const error = await problemFrom(new Response('<html>bad gateway</html>', { status: 502,
      headers: { 'Content-Type': 'text/html' } }));
    expect(error.status).toBe(502);
    expect(error.detail).toBe('An upstream answered with an error.');
  });

  it('falls back when a JSON body has no detail or cannot be read', async () => {
    expect((await problemFrom(problem(403, { title: 'Forbidden' }))).detail).toContain('not allowed');
    expect((await problemFrom(new Response('{not json', { status: 503,
      headers: { 'Content-Type': 'application/json' } }))).detail).toContain('try again shortly');
  });

  it('describes a 422 with its fields for a page-level message', () => {
    const error = new ApiError(422, 'Unprocessable', 'invalid fields', [{ field: 'url', message: 'is required' }]);
    expect(describeError(error)).toBe('invalid fields url: is required');
    expect(describeError(new ApiError(409, 'Conflict', 'upstream 3 (proxy) already has this URL'))).toBe(
      'upstream 3 (proxy) already has this URL');
    expect(describeError(new Error('plain'))).toBe('plain');
  });
});
