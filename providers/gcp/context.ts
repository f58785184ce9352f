import { isProviderError } from '../errors.js';
import { classifyGceError } from './classify.js';
import type { GceClients } from './clients.js';
import type { DeleteMarks } from './delete-marks.js';
import type { PriceOrigin } from './prices.js';

/** What every call of one account needs. */
export interface GceContext {
  readonly account: string;
  readonly clients: GceClients;
  /** Hourly price of a type in a region for this account: its override, else the shipped table. */
  readonly listedPrice: (region: string, type: string) => string | undefined;
  /** Where listedPrice's figure for a type comes from. */
  readonly priceOrigin: (type: string) => PriceOrigin;
  /** listedPrice, or "0" for an instance of a type no table prices (made before a price was dropped). */
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
