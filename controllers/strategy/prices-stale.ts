import { ConditionType, Reason } from '../../api/index.js';
import type { Offering } from '../../api/index.js';
import { DEFAULT_PRICE_TTL_MS } from '../../providers/index.js';
import type { NewCondition } from '../shared/index.js';

/** Accounts named in the message at most; the rest are counted. */
const NAMED_ACCOUNTS = 5;

/**
 * PricesStale: True when some acceptable offering is priced from a table polyfleet ships (its
 * cloud's pricing API has never answered) or from an API read older than `limitMs` (it has not
 * answered since): a budget or `pick: cheapest` on such prices may be wrong, and the Strategy says
 * so. Overrides are the operator's own figures, and offerings whose provider does not say where
 * the price came from (the sim) are not judged.
 */
export function pricesStale(offerings: readonly Offering[], now: Date, limitMs = DEFAULT_PRICE_TTL_MS): NewCondition {
  const type = ConditionType.PricesStale;
  const fromTable = accountsWhere(offerings, (o) => o.priceSource === 'table');
  const outdated = accountsWhere(offerings, (o) => o.priceSource === 'api' && o.pricedAt !== undefined && now.getTime() - Date.parse(o.pricedAt) > limitMs);
  if (fromTable.size === 0 && outdated.size === 0) {
    return { type, status: 'False', reason: Reason.PricesCurrent, message: `every price was read from its cloud's pricing API within ${hours(limitMs)} or set in the Strategy` };
  }
  const parts = [
    ...describe(fromTable, (a) => `${a.account}: ${offeringsCount(a.count)} priced from the table shipped on ${a.oldest.slice(0, 10)} (its pricing API has not answered)`),
    ...describe(outdated, (a) => `${a.account}: ${offeringsCount(a.count)} priced ${hours(now.getTime() - Date.parse(a.oldest))} ago (${a.oldest}), older than ${hours(limitMs)}`),
  ];
  return { type, status: 'True', reason: fromTable.size > 0 ? Reason.TablePrices : Reason.PricesOutdated, message: `${parts.join('; ')}; budgets and pick use these prices` };
}

interface AccountPrices {
  readonly account: string;
  readonly count: number;
  /** The oldest pricedAt among them. */
  readonly oldest: string;
}

function accountsWhere(offerings: readonly Offering[], test: (o: Offering) => boolean): Map<string, AccountPrices> {
  const byAccount = new Map<string, AccountPrices>();
  for (const o of offerings.filter(test)) {
    const seen = byAccount.get(o.provider);
    const at = o.pricedAt ?? '';
    byAccount.set(o.provider, { account: o.provider, count: (seen?.count ?? 0) + 1, oldest: seen === undefined || at < seen.oldest ? at : seen.oldest });
  }
  return byAccount;
}

function describe(accounts: Map<string, AccountPrices>, say: (a: AccountPrices) => string): string[] {
  const all = [...accounts.values()].sort((a, b) => a.account.localeCompare(b.account));
  const named = all.slice(0, NAMED_ACCOUNTS).map(say);
  return all.length > NAMED_ACCOUNTS ? [...named, `${all.length - NAMED_ACCOUNTS} more accounts`] : named;
}

function hours(ms: number): string {
  const h = ms / 3_600_000;
  if (h >= 1) return `${Math.floor(h)}h`;
  return ms >= 60_000 ? `${Math.floor(ms / 60_000)}m` : `${Math.floor(ms / 1000)}s`;
}

function offeringsCount(n: number): string {
  return `${n} offering${n === 1 ? '' : 's'}`;
}
