/**
 * Cache entry paths are the request paths below a registry, with module paths bang-escaped as the GOPROXY protocol
 * asks (`github.com/BurntSushi` → `github.com/!burnt!sushi`). A module path typed by a person becomes the prefix
 * the purge call matches.
 */
export function bangEscape(modulePath: string): string {
  return modulePath.replace(/[A-Z]/g, (c) => '!' + c.toLowerCase());
}

/** The path prefix of a module path prefix and, optionally, a version prefix within that exact module. */
export function cachePrefix(modulePath: string, version?: string): string {
  const module = bangEscape(modulePath.trim().replace(/^\/+/, ''));
  const v = version?.trim();
  return v ? `/${module}/@v/${v}` : `/${module}`;
}
