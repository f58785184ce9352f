import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** The session cookie: an id only, scoped to the web view's paths. */
export const SESSION_COOKIE = 'polyfleet_session';

/** The value of cookie `name` in the request's Cookie header, or undefined. */
export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** True when the request came over TLS (then the cookie is Secure). */
export function overTls(req: IncomingMessage): boolean {
  return (req.socket as Partial<TLSSocket>).encrypted === true;
}

/**
 * Set-Cookie for a session id: HttpOnly (no script reads it), SameSite=Strict (no other site's page
 * sends it), Secure over TLS, for /ui/ only, and a session cookie (gone when the browser closes).
 */
export function sessionCookie(req: IncomingMessage, path: string, id: string): string {
  return `${SESSION_COOKIE}=${id}; Path=${path}; HttpOnly; SameSite=Strict${overTls(req) ? '; Secure' : ''}`;
}

/** Set-Cookie that removes the session cookie. */
export function clearedSessionCookie(req: IncomingMessage, path: string): string {
  return `${SESSION_COOKIE}=; Path=${path}; Max-Age=0; HttpOnly; SameSite=Strict${overTls(req) ? '; Secure' : ''}`;
}
