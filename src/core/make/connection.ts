/**
 * Where the Make API is: one of Make's zones (`eu1.make.com`, …) or a base URL given by hand
 * (`http://127.0.0.1:8123/api/v2`, for a local test server or a proxy). Pure: no I/O.
 *
 * A record pulled from Make remembers its connection (`make.zone`, or `make.apiUrl` when it was
 * pulled through a base URL), so a later retry or delete goes to the same place unless the command
 * names another one.
 */

/** Make's zones (the hosts of its API). */
export const MAKE_ZONES = [
  'eu1.make.com',
  'eu2.make.com',
  'us1.make.com',
  'us2.make.com',
  'eu1.make.celonis.com',
  'us1.make.celonis.com',
] as const;
export type MakeZone = (typeof MAKE_ZONES)[number];

export interface MakeConnection {
  /** What the SDK is given as its zone: the host (and port) of the API. */
  readonly host: string;
  readonly protocol: 'https' | 'http';
  /** API version (the `N` of `/api/vN`). */
  readonly version: number;
  /** e.g. https://eu1.make.com/api/v2 */
  readonly baseUrl: string;
  /** A known zone, or a base URL given by hand. */
  readonly kind: 'zone' | 'api-url';
}

/** A connection problem the user can fix (an unknown zone, a malformed URL). */
export class MakeConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MakeConnectionError';
  }
}

export function isMakeZone(s: string): s is MakeZone {
  return (MAKE_ZONES as readonly string[]).includes(s);
}

export function connectionForZone(zone: string): MakeConnection {
  const z = zone.trim().toLowerCase();
  if (!isMakeZone(z)) {
    throw new MakeConnectionError(
      `unknown Make zone '${zone}' (one of ${MAKE_ZONES.join(', ')}; or give the API's base URL with --api-url)`,
    );
  }
  return { host: z, protocol: 'https', version: 2, baseUrl: `https://${z}/api/v2`, kind: 'zone' };
}

/** `http(s)://host[:port]/api/vN` (a trailing slash is accepted). */
export function connectionForApiUrl(url: string): MakeConnection {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new MakeConnectionError(`'${url}' is not a URL (expected e.g. https://eu1.make.com/api/v2)`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new MakeConnectionError(`'${url}': the API URL must start with https:// or http://`);
  if (u.username !== '' || u.password !== '') throw new MakeConnectionError(`'${url}': put the token in MAKE_API_TOKEN, not in the URL`);
  if (u.search !== '' || u.hash !== '') throw new MakeConnectionError(`'${url}': the API URL takes no query or fragment`);
  const m = /^\/api\/v(\d+)\/?$/.exec(u.pathname);
  if (!m) throw new MakeConnectionError(`'${url}': the API URL must end with /api/v2 (e.g. https://eu1.make.com/api/v2)`);
  const version = Number(m[1]);
  const protocol = u.protocol === 'http:' ? 'http' : 'https';
  return { host: u.host, protocol, version, baseUrl: `${protocol}://${u.host}/api/v${version}`, kind: 'api-url' };
}

/** What a record stores about where it came from (`make.zone` or `make.apiUrl`). */
export function connectionFields(c: MakeConnection): { zone: string } | { apiUrl: string } {
  return c.kind === 'zone' ? { zone: c.host } : { apiUrl: c.baseUrl };
}

/** A key that is equal for two connections to the same API. */
export function connectionKey(c: MakeConnection): string {
  return c.baseUrl;
}

/**
 * The connection a record names (`make.apiUrl` wins over `make.zone`), or undefined when it names
 * none or an unusable one (a saved response imported without saying where it came from).
 */
export function connectionOfMakeFields(make: unknown): MakeConnection | undefined {
  if (typeof make !== 'object' || make === null) return undefined;
  const m = make as Record<string, unknown>;
  try {
    if (typeof m.apiUrl === 'string') return connectionForApiUrl(m.apiUrl);
    if (typeof m.zone === 'string') return connectionForZone(m.zone);
  } catch {
    return undefined;
  }
  return undefined;
}
