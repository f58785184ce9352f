import { HttpProblem } from '../runtime/http/index.js';

export interface SignInThrottleOptions {
  readonly now?: () => number;
  /** Refused sign-ins one address may make within `windowMs` before it must wait (default 20). */
  readonly failures?: number;
  /** Default 5 minutes. */
  readonly windowMs?: number;
  /** Addresses remembered at most; beyond, the one refused longest ago is forgotten (default 10,000). */
  readonly maxAddresses?: number;
}

/**
 * Refused sign-ins per client address: after `failures` refusals within the window, the address is
 * answered 429 until its oldest refusal leaves the window, whatever token it sends — so a page cannot
 * be used to guess a token-file token, nor to make the API server review tokens without end. A
 * sign-in that succeeds forgets the address's refusals. In memory, per process, like the sessions.
 * Behind a proxy that hides client addresses, everyone shares the proxy's address (and its limit):
 * 20 refusals in 5 minutes is far above a person mistyping a token.
 */
export class SignInThrottle {
  private readonly refusals = new Map<string, number[]>();
  private readonly now: () => number;
  private readonly failures: number;
  private readonly windowMs: number;
  private readonly maxAddresses: number;

  constructor(options: SignInThrottleOptions = {}) {
    this.now = options.now ?? Date.now;
    this.failures = options.failures ?? 20;
    this.windowMs = options.windowMs ?? 5 * 60_000;
    this.maxAddresses = options.maxAddresses ?? 10_000;
  }

  /** Throws a 429 naming when to try again if `address` has used up its refusals. */
  check(address: string): void {
    const recent = this.recent(address);
    if (recent.length < this.failures) return;
    const waitMs = (recent[0] ?? 0) + this.windowMs - this.now();
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    throw new HttpProblem(429, `${String(recent.length)} sign-ins from ${address} were refused in the last ${String(this.windowMs / 60_000)} minutes; try again in ${String(seconds)} s`, { 'Retry-After': String(seconds) });
  }

  refused(address: string): void {
    const recent = this.recent(address);
    recent.push(this.now());
    this.refusals.delete(address);
    this.refusals.set(address, recent);
    if (this.refusals.size > this.maxAddresses) this.refusals.delete(this.refusals.keys().next().value as string);
  }

  succeeded(address: string): void {
    this.refusals.delete(address);
  }

  private recent(address: string): number[] {
    const since = this.now() - this.windowMs;
    const recent = (this.refusals.get(address) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.refusals.delete(address);
    return recent;
  }
}
