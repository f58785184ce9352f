import type { Strategy } from '../../api/index.js';
import { PRICE_HEADER, priceRows } from '../prices/price-rows.js';
import { textTable } from '../shared/text-table.js';
import { conditionsTable, section } from './sections.js';

/**
 * What `kubectl describe strategy` would print: the pick, accounts and budget, the conditions
 * (PricesStale among them), and the best offerings with each price's source and age.
 */
export function describeStrategy(strategy: Strategy, now: Date): string {
  const { spec, status, metadata } = strategy;
  const budget = spec.budget;
  const fields: [string, string][] = [
    ['Name', metadata.name],
    ['Namespace', metadata.namespace ?? 'default'],
    ['Pick', spec.pick],
    ['Providers', spec.providers.map((p) => `${p.name} (${p.type})`).join(', ')],
    ['Budget', budget?.maxHourlyPerNode === undefined && budget?.maxHourlyTotal === undefined ? '<none>' : `per node ${budget.maxHourlyPerNode ?? '-'}/h, total ${budget.maxHourlyTotal ?? '-'}/h`],
    ['Offerings', status?.offeringCount === undefined ? '<not resolved yet>' : `${status.offeringCount} acceptable${status.offeringCount > (status.offerings?.length ?? 0) ? `, the best ${status.offerings?.length ?? 0} below` : ''}`],
  ];
  const width = Math.max(...fields.map(([k]) => k.length)) + 2;
  // The STRATEGY column says nothing here: it is this one.
  const rows = priceRows([strategy], {}, now).map((r) => r.slice(1));
  return [
    fields.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}\n`).join(''),
    section('Conditions', conditionsTable(status?.conditions ?? [])),
    section('Prices', rows.length === 0 ? '' : textTable(PRICE_HEADER.slice(1), rows, '  ')),
  ].join('');
}
