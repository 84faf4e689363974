import { describe, expect, it } from 'vitest';
import { bangEscape, cachePrefix } from '../../src/lib/cachePaths';
import { clientSetup, sendsCredentials } from '../../src/lib/snippets';

describe('clientSetup', () => {
  it('builds the GOPROXY URL from the origin and the registry path', () => {
    const setup = clientSetup('https://vreg.example.com:8443', '/go/acme/main', true);
    expect(setup.goproxy).toBe('https://vreg.example.com:8443/go/acme/main');
    expect(setup.goEnv).toBe('go env -w GOPROXY=https://vreg.example.com:8443/go/acme/main');
  });

  it('gives private registries a .netrc line for the host and port and a GOAUTH setup', () => {
    const setup = clientSetup('https://vreg.example.com:8443', 'go/acme/private', false);
    expect(setup.goproxy).toBe('https://vreg.example.com:8443/go/acme/private');
    expect(setup.goEnv).toContain('GONOSUMDB=');
    expect(setup.netrc).toMatch(/^machine vreg\.example\.com:8443 login token password </);
    expect(setup.goauth).toContain('go env -w GOAUTH=netrc');
    expect(setup.goauth).toContain('export NETRC=');
    expect(setup.goauth).toContain(setup.netrc);
  });

  it('drops a default port and any path of the origin', () => {
    expect(clientSetup('https://vreg.example.com/ui/x', '/go/a/b', true).goproxy)
      .toBe('https://vreg.example.com/go/a/b');
  });

  it('knows the go command sends credentials only over https', () => {
    expect(sendsCredentials('https://vreg.example.com/go/a/b')).toBe(true);
    expect(sendsCredentials('http://127.0.0.1:8080/go/a/b')).toBe(false);
  });
});

describe('cache prefixes', () => {
  it('bang-escapes upper-case letters as the GOPROXY protocol does', () => {
    expect(bangEscape('github.com/BurntSushi/toml')).toBe('github.com/!burnt!sushi/toml');
  });

  it('makes the purge prefix of a module path, with a version inside that module', () => {
    expect(cachePrefix(' example.com/Team ')).toBe('/example.com/!team');
    expect(cachePrefix('/example.com/a', 'v1.2')).toBe('/example.com/a/@v/v1.2');
  });
});
