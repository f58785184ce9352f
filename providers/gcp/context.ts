import { isProviderError } from '../errors.js';
import { classifyGceError } from './classify.js';
import type { GceClients } from './clients.js';
import type { DeleteMarks } from './delete-marks.js';

/** What every call of one account needs. */
export interface GceContext {
  readonly account: string;
  readonly clients: GceClients;
  /** An instance's hourly price: the account's override, else the cached catalog or table price, else "0" (a type nothing prices). */
  readonly price: (region: string, type: string) => string;
  /** maxResults of list calls (GCE allows up to 500). */
  readonly pageSize: number;
  readonly operationTimeoutMs: number;
  readonly now: () => number;
  /** The instances this provider asked to delete, shown `terminating` until gone. */
  readonly deleting: DeleteMarks;
}

/** Runs one SDK call, turning whatever it throws into our classified error naming `what` (one of ours passes as it is). */
export async function gceCall<T>(ctx: GceContext, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (isProviderError(e)) throw e;
    throw classifyGceError(e, what, ctx.account);
  }
}
