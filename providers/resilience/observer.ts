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

/** Told of every provider request; providers/ may not import runtime/, so runtime/metrics implements it. */
export interface ProviderObserver {
  request(request: ProviderRequest): void;
}

export function requestCode(error?: unknown): string {
  if (error === undefined) return 'ok';
  return isProviderError(error) ? error.kind : 'error';
}
