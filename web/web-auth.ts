import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SignInRequest, WebSession } from '../api/index.js';
import type { AccessControl, Caller } from '../runtime/auth/index.js';
import { HttpProblem, sendJson } from '../runtime/http/index.js';
import type { ObjectKey } from '../runtime/store/index.js';
import { clearedSessionCookie, cookieValue, SESSION_COOKIE, sessionCookie } from './cookies.js';
import { jsonBody } from './request-body.js';
import type { Session, SessionStore } from './session-store.js';
import type { SignInThrottle } from './sign-in-throttle.js';

/** Who is asking, and through which session (none: an Authorization header, or loopback without one). */
export interface Identity {
  readonly caller: Caller;
  readonly session: Session | undefined;
}

const CSRF_HEADER = 'x-csrf-token';

/**
 * The web view's side of the server's authentication: the same AccessControl as the inventory API
 * (a token file or loopback standalone; TokenReview and SubjectAccessReview in a cluster), reached
 * from a browser through a session cookie, since an EventSource cannot send an Authorization header.
 * Every request re-checks the session's token with the AccessControl (a cluster caches that for
 * 10 s), so a token the API server stops accepting ends the session.
 */
export class WebAuth {
  constructor(
    private readonly access: AccessControl,
    private readonly sessions: SessionStore,
    /** The cookie's path: the web view's base. */
    private readonly path: string,
    private readonly throttle: SignInThrottle,
  ) {}

  /** The caller of a request, or a 401 that says how to sign in. */
  async identify(req: IncomingMessage): Promise<Identity> {
    const session = this.sessions.get(cookieValue(req, SESSION_COOKIE));
    if (session !== undefined) {
      const result = await this.access.authenticate(session.authorization);
      if (result.kind === 'ok') return { caller: result.caller, session };
      this.sessions.delete(session.id);
      throw unauthenticated(`the session's token is no longer accepted (${result.reason}); sign in again`);
    }
    const result = await this.access.authenticate(req.headers.authorization);
    if (result.kind === 'ok') return { caller: result.caller, session: undefined };
    throw unauthenticated(`${result.reason}; sign in on the page with a token, or send ${this.access.scheme}`);
  }

  /** May the caller see a namespace: list NodePools and Machines there (kubectl get nodepools,machines -n NS). */
  canRead(caller: Caller): (namespace: string) => Promise<boolean> {
    return async (namespace) => {
      const [pools, machines] = await Promise.all(['nodepools', 'machines'].map((resource) => this.access.allowed(caller, { verb: 'list', group: 'polyfleet.io', resource, namespace })));
      return pools === true && machines === true;
    };
  }

  /** May the caller change this NodePool (kubectl patch nodepool NAME -n NS). */
  canPatch(caller: Caller, key: ObjectKey): Promise<boolean> {
    return this.access.allowed(caller, { verb: 'patch', group: 'polyfleet.io', resource: 'nodepools', namespace: key.namespace, name: key.name });
  }

  /**
   * A POST or DELETE is taken only from the web view's own page: in a session that sent its CSRF
   * token (which another site can never read), from this server's origin.
   */
  requireForm(req: IncomingMessage, identity: Identity): void {
    requireSameOrigin(req);
    if (identity.session === undefined) throw new HttpProblem(403, 'changes are made from the web view\'s page, in a session: GET /ui/api/session first and send its csrfToken as X-CSRF-Token');
    const sent = req.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !sameSecret(sent, identity.session.csrfToken)) {
      throw new HttpProblem(403, `the X-CSRF-Token header is ${typeof sent === 'string' ? 'not this session\'s' : 'missing'}: refused as a possible cross-site request; reload the page`);
    }
  }

  /** GET /ui/api/session: the page's session, begun here when the request is already authenticated (loopback, or a header). */
  async current(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const identity = await this.identify(req);
    const session = identity.session ?? this.begin(req, res, req.headers.authorization);
    sendJson(res, this.describe(identity.caller, session));
  }

  /** POST /ui/api/session {token}: checks the token as the API would and begins a session for it; too many refusals from one address are a 429 for a while. */
  async signIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requireSameOrigin(req);
    const address = req.socket.remoteAddress ?? 'unknown';
    this.throttle.check(address);
    const { token } = await jsonBody(req, SignInRequest);
    const authorization = `Bearer ${token}`;
    const result = await this.access.authenticate(authorization);
    if (result.kind !== 'ok') {
      this.throttle.refused(address);
      throw unauthenticated(`sign-in refused: ${result.reason}`);
    }
    this.throttle.succeeded(address);
    const session = this.begin(req, res, authorization);
    sendJson(res, this.describe(result.caller, session));
  }

  /** DELETE /ui/api/session: ends the session (the token is forgotten). */
  async signOut(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const identity = await this.identify(req);
    this.requireForm(req, identity);
    if (identity.session !== undefined) this.sessions.delete(identity.session.id);
    res.writeHead(204, { 'Set-Cookie': clearedSessionCookie(req, this.path), 'Cache-Control': 'no-store' });
    res.end();
  }

  private begin(req: IncomingMessage, res: ServerResponse, authorization: string | undefined): Session {
    const session = this.sessions.create(authorization);
    res.setHeader('Set-Cookie', sessionCookie(req, this.path, session.id));
    return session;
  }

  private describe(caller: Caller, session: Session): WebSession {
    return WebSession.parse({ user: caller.user, csrfToken: session.csrfToken, signedIn: session.authorization !== undefined });
  }
}

/**
 * The Origin of a state-changing request must be this server (the Host it was sent to). Browsers
 * send Origin with every POST and DELETE; a request without one is not from a page of ours.
 */
export function requireSameOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (origin === undefined) throw new HttpProblem(403, 'the Origin header is missing: changes are taken only from the web view\'s own page');
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    host = '';
  }
  if (host === '' || host !== req.headers.host) throw new HttpProblem(403, `the request came from ${origin}, not from this server's page (${req.headers.host ?? 'no Host'}): refused as a cross-site request`);
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') throw new HttpProblem(403, `Sec-Fetch-Site is ${site}: changes are taken only from the web view's own page`);
}

function unauthenticated(detail: string): HttpProblem {
  return new HttpProblem(401, detail, { 'WWW-Authenticate': 'Bearer realm="polyfleet"' });
}

/** Compared in constant time, as digests of equal length. */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
