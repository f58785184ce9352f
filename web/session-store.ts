import { randomBytes } from 'node:crypto';

/**
 * One signed-in browser. The bearer token stays here, in the server's memory: the browser holds
 * only a random id in an HttpOnly cookie, so no script on the page (nor an injected one) can read
 * the token, which in a cluster may open far more than polyfleet.
 */
export interface Session {
  readonly id: string;
  /** Sent back with every POST and DELETE (X-CSRF-Token): another site can send the cookie, never this. */
  readonly csrfToken: string;
  /** The Authorization header the session stands for; undefined on loopback without a token. */
  readonly authorization: string | undefined;
  readonly createdAt: number;
  lastUsedAt: number;
}

export interface SessionStoreOptions {
  readonly now?: () => number;
  /** A session unused this long ends (default 1 h). */
  readonly idleMs?: number;
  /** And any session after this long (default 12 h): signing in again checks the token anew. */
  readonly maxAgeMs?: number;
  /** Beyond this many, the least recently used goes (default 10,000). */
  readonly max?: number;
}

export const DEFAULT_SESSION_IDLE_MS = 3_600_000;
export const DEFAULT_SESSION_MAX_AGE_MS = 12 * 3_600_000;

/** The sessions of one server process, in memory: a restart signs everyone out. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly now: () => number;
  private readonly idleMs: number;
  private readonly maxAgeMs: number;
  private readonly max: number;

  constructor(options: SessionStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.idleMs = options.idleMs ?? DEFAULT_SESSION_IDLE_MS;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_SESSION_MAX_AGE_MS;
    this.max = options.max ?? 10_000;
  }

  create(authorization: string | undefined): Session {
    if (this.sessions.size >= this.max) this.sessions.delete(this.sessions.keys().next().value as string);
    const now = this.now();
    const session: Session = { id: randomBytes(32).toString('base64url'), csrfToken: randomBytes(32).toString('base64url'), authorization, createdAt: now, lastUsedAt: now };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id (and it counts as used now), or undefined. */
  get(id: string | undefined): Session | undefined {
    if (id === undefined) return undefined;
    const session = this.sessions.get(id);
    if (session === undefined) return undefined;
    const now = this.now();
    if (now - session.lastUsedAt > this.idleMs || now - session.createdAt > this.maxAgeMs) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastUsedAt = now;
    // Re-inserted: the map's order is least recently used first, for eviction.
    this.sessions.delete(id);
    this.sessions.set(id, session);
    return session;
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }
}
