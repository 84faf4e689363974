/** What a go client needs to use one registry, derived from where the console is served. */
export interface ClientSetup {
  goproxy: string;
  goEnv: string;
  netrc: string;
  goauth: string;
}

/**
 * The GOPROXY URL of a registry (`path` as the API gives it, e.g. `/go/acme/main`) at `origin`, and the snippets a
 * person copies. Private registries need credentials: the go command sends `.netrc` entries (found through GOAUTH's
 * default `netrc`) as Basic credentials, and only over https.
 */
export function clientSetup(origin: string, path: string, isPublic: boolean): ClientSetup {
  const url = new URL(origin);
  const base = `${url.protocol}//${url.host}`;
  const goproxy = base + (path.startsWith('/') ? path : '/' + path);
  const goEnv = isPublic
    ? `go env -w GOPROXY=${goproxy}`
    : `go env -w GOPROXY=${goproxy} GONOSUMDB=<your private module paths>`;
  const netrc = `machine ${url.host} login token password <a vreg token of yours, or a deploy token>`;
  const goauth = [
    `# keep the credentials in a file of their own`,
    `echo '${netrc}' >> ~/.config/vreg.netrc && chmod 600 ~/.config/vreg.netrc`,
    `export NETRC=~/.config/vreg.netrc`,
    `go env -w GOAUTH=netrc`,
  ].join('\n');
  return { goproxy, goEnv, netrc, goauth };
}

/** Whether the go command will send credentials to this origin at all (it refuses to over plain http). */
export function sendsCredentials(origin: string): boolean {
  const url = new URL(origin);
  return url.protocol === 'https:';
}
