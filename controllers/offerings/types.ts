import type { Offering, OfferingFunnel, ProviderAccount } from '../../api/index.js';

/** One acceptable (account, region, zone, instance type) of a Strategy, with its place in pick order. */
export interface ResolvedOffering extends Offering {
  readonly providerType: ProviderAccount['type'];
  /** Index in the Strategy's pick order (0 = best). For `random` this is `first` order; pools shuffle. */
  readonly rank: number;
  /** The image resolved for software.os (or software.images); always set on a resolved offering. */
  readonly image: string;
}

export interface ResolvedOfferings {
  /** Every acceptable offering, sorted by `rank`. */
  readonly offerings: readonly ResolvedOffering[];
  /** Accounts whose catalogue could not be read, each message naming the account and the error. */
  readonly problems: readonly string[];
  /** Why, for each of `problems` in the same order; set by resolveOfferings. */
  readonly problemCauses?: readonly ProblemCause[];
  /** Set by resolveOfferings; optional so a hand-built value in a test need not invent one. */
  readonly funnel?: OfferingFunnel;
}

/**
 * Why an account's catalogue could not be read: its credentials are missing or refused; its
 * configuration is wrong (a type this build lacks, regions the account does not offer, a request
 * the cloud rejects); or a failure that may pass (throttling, an outage, a timeout). Only the last
 * can go away by waiting.
 */
export type ProblemCause = 'credentials' | 'config' | 'transient';

/**
 * How many candidates survived each filter, in the order they run, so a Strategy with no offerings
 * can say which filter removed everything (the API's type: status.funnel shows it).
 */
export type { OfferingFunnel } from '../../api/index.js';
