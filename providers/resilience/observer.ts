import { isProviderError } from '../errors.js';
import type { ProviderOp } from '../types.js';

/** One attempt of one provider call, as it ended; retries are separate requests. */
export interface ProviderRequest {
  /** The cloud (account type): aws, gcp, digitalocean, sim. */
  readonly provider: string;
  readonly account: string;
  readonly op: ProviderOp;
  /** "ok", a provider error's kind ("throttled", "capacity", …), or "error" for anything unclassified. */
  readonly code: string;
  readonly seconds: number;
}

/** One call (or retry) that took a token of its account's rate limit, and how long it waited for it. */
export interface RateLimitWait {
  readonly provider: string;
  readonly account: string;
  /** "read" or "write": the bucket the token came from. */
  readonly kind: string;
  /** 0 when a token was there. */
  readonly seconds: number;
}

/** A read of a cloud's pricing API that failed: the account's cached or shipped-table prices serve meanwhile. */
export interface PriceReadFailure {
  readonly provider: string;
  readonly account: string;
  readonly region: string;
  /** The error's message (a classified provider error's: never a credential). */
  readonly reason: string;
}

/** Told of every provider request; providers/ may not import runtime/, so runtime/metrics implements it. */
export interface ProviderObserver {
  request(request: ProviderRequest): void;
  /** Told of every failed pricing API read, so an operator learns why prices are stale. */
  priceReadFailed?(failure: PriceReadFailure): void;
  /** Told of every token taken, waited for or not, so a wait can be set against the calls made. */
  rateLimitWait?(wait: RateLimitWait): void;
}

export function requestCode(error?: unknown): string {
  if (error === undefined) return 'ok';
  return isProviderError(error) ? error.kind : 'error';
}
