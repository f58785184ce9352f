// The fleet overview: every pool (ready of desired, a progress bar, cost against budget,
// conditions in words), totals per provider account and region, and the fleet's cost per hour.
import { dollars, el, headlineConditions, micros, phaseCounts, poolHref, poolLabel, progressBar } from './format.js';

export class OverviewPage {
  constructor(root, fleet) {
    this.root = root;
    this.fleet = fleet;
    document.title = 'Fleet · polyfleet';
  }

  render() {
    const focused = document.activeElement?.dataset?.focus;
    const pools = [...this.fleet.pools.values()].sort((a, b) => poolLabel(a.namespace, a.name).localeCompare(poolLabel(b.namespace, b.name)));
    const byPool = new Map();
    for (const m of this.fleet.machines.values()) {
      const key = `${m.namespace}/${m.pool}`;
      if (!byPool.has(key)) byPool.set(key, []);
      byPool.get(key).push(m);
    }
    const fleetCost = pools.reduce((sum, p) => sum + micros(p.hourlyCost), 0);
    const desired = pools.reduce((sum, p) => sum + p.desired, 0);
    const ready = pools.reduce((sum, p) => sum + p.ready, 0);
    this.root.replaceChildren(
      el('h1', {}, 'Fleet'),
      el('p', { class: 'summary', id: 'fleet-summary' }, `${pools.length} pool${pools.length === 1 ? '' : 's'} · ${ready}/${desired} Machines running · `, el('strong', { id: 'fleet-cost' }, `${dollars(fleetCost)}/h`)),
      el('h2', {}, 'Pools'),
      pools.length === 0 ? el('p', {}, 'No NodePools yet. Apply one, e.g. npx polyfleet apply -f examples/quickstart.') : el('ul', { class: 'pools' }, pools.map((p) => this.poolCard(p, byPool.get(`${p.namespace}/${p.name}`) ?? []))),
      el('h2', {}, 'By provider account and region'),
      totalsTable(this.fleet.machines.values()),
    );
    if (focused !== undefined) this.root.querySelector(`[data-focus="${CSS.escape(focused)}"]`)?.focus();
  }

  poolCard(pool, machines) {
    const label = poolLabel(pool.namespace, pool.name);
    const counts = phaseCounts(machines);
    const budget = this.fleet.strategies.get(`${pool.namespace}/${pool.strategy}`)?.maxHourlyTotal;
    const cost = micros(pool.hourlyCost);
    const over = budget !== undefined && cost > micros(budget);
    const flags = [pool.deleting && 'deleting', pool.paused && 'paused', pool.dryRun && 'dry run'].filter(Boolean);
    return el(
      'li',
      { class: 'pool-card', 'data-pool': label },
      el('h3', {}, el('a', { href: poolHref(pool.namespace, pool.name), 'data-focus': `pool:${label}` }, label), flags.map((f) => el('span', { class: 'flag' }, f))),
      el('p', { class: 'counts' }, el('span', { class: 'ready-count' }, `${pool.ready}/${pool.desired}`), ' running'),
      progressBar(counts, pool.desired, `${label} progress`),
      el('p', { class: over ? 'cost over' : 'cost' }, `${dollars(cost)}/h`, budget === undefined ? ' · no budget' : ` of ${dollars(micros(budget))}/h budget`),
      el('ul', { class: 'conditions' }, headlineConditions(pool).map((c) => el('li', { class: `cond cond-${c.type.toLowerCase()} ${conditionTone(c)}` }, c.words))),
    );
  }
}

/** good for a healthy condition, bad for a problem, else neutral. */
export function conditionTone(c) {
  if (c.type === 'Ready') return c.status === 'True' ? 'good' : 'neutral';
  if (['BudgetExceeded', 'Degraded', 'InvalidSpec', 'RemediationPaused'].includes(c.type)) return c.status === 'True' ? 'bad' : 'good';
  return 'neutral';
}

/** Machines, running and cost per hour (of running Machines) for each provider account and region. */
function totalsTable(machines) {
  const rows = new Map();
  for (const m of machines) {
    const key = `${m.provider}\u0000${m.region}`;
    const row = rows.get(key) ?? { provider: m.provider, region: m.region, machines: 0, running: 0, cost: 0 };
    row.machines += 1;
    if (m.phase === 'Running') {
      row.running += 1;
      row.cost += micros(m.hourlyPrice);
    }
    rows.set(key, row);
  }
  const sorted = [...rows.values()].sort((a, b) => a.provider.localeCompare(b.provider) || a.region.localeCompare(b.region));
  if (sorted.length === 0) return el('p', {}, 'No Machines yet.');
  return el(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-label': 'Totals by provider account and region', tabindex: 0 },
    el(
      'table',
      { class: 'totals', id: 'totals' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Account'), el('th', { scope: 'col' }, 'Region'), el('th', { scope: 'col', class: 'num' }, 'Running'), el('th', { scope: 'col', class: 'num' }, 'Cost/h'))),
      el('tbody', {}, sorted.map((r) => el('tr', {}, el('td', {}, r.provider), el('td', {}, r.region), el('td', { class: 'num' }, `${r.running} of ${r.machines}`), el('td', { class: 'num' }, dollars(r.cost))))),
    ),
  );
}
