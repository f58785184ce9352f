import { createHash, timingSafeEqual } from 'node:crypto';

/** Who is asking, as the API server would name them. */
export interface Caller {
  readonly user: string;
  readonly uid?: string;
  readonly groups: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** What a caller wants to do, in SubjectAccessReview's words. */
export interface ResourceAttributes {
  readonly verb: 'get' | 'list' | 'watch' | 'patch';
  /** The API group; '' is the core group (Secrets). */
  readonly group: string;
  readonly resource: string;
  readonly namespace: string;
  readonly name?: string;
}

export type Authentication = { readonly kind: 'ok'; readonly caller: Caller } | { readonly kind: 'unauthenticated'; readonly reason: string };

/** Who may do what at an HTTP API of ours. */
export interface AccessControl {
  /** How a caller proves who they are, for a 401's detail. */
  readonly scheme: string;
  /**
   * True when no credential is asked for (loopback only): the server then answers only requests
   * addressed to a loopback name, so a web page whose name resolves to 127.0.0.1 (DNS rebinding)
   * cannot read or act through the visitor's browser.
   */
  readonly loopbackOnly?: boolean;
  /** The caller behind an Authorization header (undefined: none sent). */
  authenticate(authorization: string | undefined): Promise<Authentication>;
  allowed(caller: Caller, attributes: ResourceAttributes): Promise<boolean>;
}

/** The bearer token of an Authorization header, or undefined if it is not one. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  return m?.[1];
}

/**
 * One shared token (standalone: --inventory-token-file): whoever presents it may read everything.
 * Compared in constant time (digests of equal length), so the time taken says nothing of the token.
 */
export function tokenAccess(token: string): AccessControl {
  const expected = createHash('sha256').update(token).digest();
  return {
    scheme: 'Authorization: Bearer <the token of --inventory-token-file>',
    authenticate(authorization) {
      if (authorization === undefined) return Promise.resolve({ kind: 'unauthenticated', reason: 'no Authorization header' });
      const given = bearerToken(authorization);
      if (given === undefined) return Promise.resolve({ kind: 'unauthenticated', reason: 'the Authorization header is not "Bearer <token>"' });
      const ok = timingSafeEqual(createHash('sha256').update(given).digest(), expected);
      return Promise.resolve(ok ? { kind: 'ok', caller: { user: 'token-file', groups: [] } } : { kind: 'unauthenticated', reason: 'the token is not the one this server was given' });
    },
    allowed: () => Promise.resolve(true),
  };
}

/** No token (standalone, loopback only): anyone who can reach the address is trusted as this machine's user. */
export function loopbackAccess(): AccessControl {
  return {
    scheme: 'none (loopback only)',
    loopbackOnly: true,
    authenticate: () => Promise.resolve({ kind: 'ok', caller: { user: 'loopback', groups: [] } }),
    allowed: () => Promise.resolve(true),
  };
}

/** Reads a token file: its first line, trimmed; an error names the flag, the file and what is wrong. */
export function parseTokenFile(flag: string, path: string, text: string): string {
  const token = text.split(/\r?\n/, 1)[0]?.trim() ?? '';
  if (token.length < 16) throw new RangeError(`${flag} ${path}: the first line must be a token of at least 16 characters (e.g. openssl rand -hex 32 > ${path})`);
  if (/\s/.test(token)) throw new RangeError(`${flag} ${path}: the token must not contain spaces`);
  return token;
}
