import type { Offering, ProviderAccount } from '../../api/index.js';

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
}
