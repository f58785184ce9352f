/**
 * On-demand Linux (shared tenancy, no pre-installed software) USD per hour of common EC2 types.
 *
 * HOW THESE FIGURES WERE OBTAINED: written down by hand from AWS's public on-demand price list as
 * the author knew it, on a machine without internet access; they were NOT produced by
 * providers/aws/refresh-prices.ts and were not checked against the Price List API. Run that script
 * (it regenerates this file, with `source: 'price-list-api'`) before trusting them for a budget.
 */
export const PRICE_TABLE = {
  refreshed: '2026-11-22',
  source: 'hand-transcribed',
  regions: {
    'us-east-1': {
      't3.nano': '0.0052', 't3.micro': '0.0104', 't3.small': '0.0208', 't3.medium': '0.0416', 't3.large': '0.0832', 't3.xlarge': '0.1664',
      't4g.nano': '0.0042', 't4g.micro': '0.0084', 't4g.small': '0.0168', 't4g.medium': '0.0336', 't4g.large': '0.0672',
      'm5.large': '0.096', 'm5.xlarge': '0.192', 'm6i.large': '0.096', 'm6i.xlarge': '0.192', 'm6g.large': '0.077', 'm7g.large': '0.0816',
      'c5.large': '0.085', 'c6i.large': '0.085', 'c6g.large': '0.068', 'c7g.large': '0.0725',
      'r5.large': '0.126', 'r6i.large': '0.126', 'r6g.large': '0.1008',
      'g4dn.xlarge': '0.526',
    },
    'us-east-2': {
      't3.micro': '0.0104', 't3.small': '0.0208', 't3.medium': '0.0416', 't3.large': '0.0832',
      't4g.micro': '0.0084', 't4g.small': '0.0168', 't4g.medium': '0.0336',
      'm5.large': '0.096', 'm6i.large': '0.096', 'm6g.large': '0.077', 'c5.large': '0.085', 'c6g.large': '0.068', 'r5.large': '0.126',
    },
    'us-west-2': {
      't3.micro': '0.0104', 't3.small': '0.0208', 't3.medium': '0.0416', 't3.large': '0.0832',
      't4g.micro': '0.0084', 't4g.small': '0.0168', 't4g.medium': '0.0336',
      'm5.large': '0.096', 'm6i.large': '0.096', 'm6g.large': '0.077', 'c5.large': '0.085', 'c6g.large': '0.068', 'r5.large': '0.126',
      'g4dn.xlarge': '0.526',
    },
    'eu-west-1': {
      't3.micro': '0.0114', 't3.small': '0.0228', 't3.medium': '0.0456', 't3.large': '0.0912',
      't4g.micro': '0.0092', 't4g.small': '0.0184', 't4g.medium': '0.0368',
      'm5.large': '0.107', 'm6i.large': '0.107', 'm6g.large': '0.086', 'c5.large': '0.096', 'r5.large': '0.141',
      'g4dn.xlarge': '0.587',
    },
    'eu-central-1': {
      't3.micro': '0.012', 't3.small': '0.024', 't3.medium': '0.048', 't3.large': '0.096',
      't4g.micro': '0.0096', 't4g.small': '0.0192', 't4g.medium': '0.0384',
      'm5.large': '0.115', 'm6i.large': '0.115', 'm6g.large': '0.092', 'c5.large': '0.097', 'r5.large': '0.152',
      'g4dn.xlarge': '0.658',
    },
  },
} as const satisfies PriceTable;

export interface PriceTable {
  /** The day the figures were taken (YYYY-MM-DD). */
  readonly refreshed: string;
  /** 'price-list-api' when the refresh script wrote the table; anything else says it did not. */
  readonly source: string;
  /** Region → instance type → USD per hour as a decimal string. */
  readonly regions: Readonly<Record<string, Readonly<Record<string, string>>>>;
}
