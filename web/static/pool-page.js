// A pool's page: live progress (Pending → Provisioning → Running, with an ETA), a dry run's plan,
// its conditions in words, the placement tree, the Machines table (virtualized, sortable,
// filterable; each Machine's placement explanation), the Strategy's funnel, cost over time and
// the pool's Events.
import { costChart } from './cost-chart.js';
import { dryRunPlan } from './dry-run-plan.js';
import { dollars, el, headlineConditions, micros, PHASES, phaseCounts, poolLabel, progressBar } from './format.js';
import { MachineDetail } from './machine-detail.js';
import { conditionTone } from './overview.js';
import { PlacementTree } from './placement-tree.js';
import { estimate, etaWords } from './progress-eta.js';
import { emptiedWords, strategyFunnel } from './strategy-funnel.js';
import { VirtualTable } from './virtual-table.js';
import { PoolActions } from './pool-actions.js';

const columns = (open) => [
  { key: 'name', title: 'Name', value: (m) => m.name, open },
  { key: 'slot', title: 'Slot', value: (m) => m.slot, num: true },
  { key: 'phase', title: 'Phase', value: (m) => m.phase },
  { key: 'provider', title: 'Account', value: (m) => m.provider },
  { key: 'zone', title: 'Zone', value: (m) => m.zone, titleOf: (m) => `region ${m.region}, zone ${m.zone}` },
  { key: 'type', title: 'Type', value: (m) => m.instanceType },
  { key: 'price', title: 'Price/h', value: (m) => (m.hourlyPrice === undefined ? '' : dollars(micros(m.hourlyPrice))), sortValue: (m) => micros(m.hourlyPrice), num: true },
  { key: 'instance', title: 'Instance', value: (m) => m.instanceId ?? '' },
  { key: 'why', title: 'Why here / why failed', value: (m) => m.failure ?? m.placement ?? '', titleOf: (m) => m.failure ?? m.placement },
];

/** Conditions as a person reads them: is it ready, is it moving, what is wrong (unknown types last). */
const CONDITION_ORDER = ['Ready', 'Progressing', 'BudgetExceeded', 'Degraded', 'RemediationPaused', 'InvalidSpec'];

/** Events are read again at most this often while the pool changes. */
const EVENTS_EVERY_MS = 1000;

export class PoolPage {
  constructor(root, fleet, namespace, name) {
    this.root = root;
    this.fleet = fleet;
    this.namespace = namespace;
    this.name = name;
    this.label = poolLabel(namespace, name);
    document.title = `${this.label} · polyfleet`;
    this.detail = new MachineDetail();
    this.table = new VirtualTable(
      `Machines of ${this.label}`,
      columns((m) => {
        this.detail.open(m.name);
        this.detail.render(this.fleet.machinesOf(this.namespace, this.name));
        this.detail.closeButton.focus();
      }),
    );
    this.eta = el('p', { class: 'eta', id: 'eta' });
    this.plan = el('div', { id: 'plan-slot' });
    this.placement = new PlacementTree();
    this.funnel = el('div', { id: 'funnel-slot' });
    this.cost = el('div', { id: 'cost' });
    this.summary = el('div', { class: 'pool-summary', id: 'pool-summary' });
    this.actions = new PoolActions(namespace, name, this.label);
    this.conditions = el('ul', { class: 'conditions wide', id: 'conditions' });
    this.events = el('div', { id: 'events' }, el('p', {}, 'Loading events…'));
    this.failures = el('div', { id: 'failures' });
    this.count = el('span', { id: 'machine-count', role: 'status' });
    const filter = el('input', { type: 'search', id: 'machine-filter', placeholder: 'name, phase, zone, type…', oninput: (e) => this.table.setFilter(e.target.value) });
    root.replaceChildren(
      el('nav', { 'aria-label': 'Breadcrumb', class: 'crumbs' }, el('a', { href: '/ui/' }, 'Fleet'), ' › ', el('span', { 'aria-current': 'page' }, this.label)),
      el('h1', {}, this.label),
      this.summary,
      this.plan,
      this.actions.element,
      el('h2', {}, 'Conditions'),
      this.conditions,
      this.placement.element,
      el('h2', {}, 'Machines ', this.count),
      el('p', { class: 'explain' }, 'Open a Machine by its name to read why it is where it is.'),
      el('div', { class: 'filter' }, el('label', { for: 'machine-filter' }, 'Filter'), filter),
      this.table.element,
      this.detail.element,
      this.funnel,
      el('h2', {}, 'Cost over time'),
      this.cost,
      el('h2', {}, 'Failures seen'),
      this.failures,
      el('h2', {}, 'Events'),
      this.events,
    );
    this.eventsDue = 0;
    this.eventsTimer = undefined;
    // The ETA counts down between changes too.
    const tick = () => {
      this.renderEta();
      setTimeout(tick, 1000);
    };
    setTimeout(tick, 1000);
  }

  render() {
    const pool = this.fleet.pools.get(`${this.namespace}/${this.name}`);
    const machines = this.fleet.machinesOf(this.namespace, this.name);
    this.renderSummary(pool, machines);
    this.renderEta();
    this.actions.render(pool);
    const order = (c) => CONDITION_ORDER.indexOf(c.type) >>> 0;
    this.conditions.replaceChildren(...[...(pool?.conditions ?? [])].sort((a, b) => order(a) - order(b)).map((c) => el('li', { class: `cond cond-${c.type.toLowerCase()} ${conditionTone(c)}` }, el('strong', {}, `${c.type}: `), c.words)));
    this.count.textContent = `(${machines.length})`;
    this.table.setRows(machines);
    this.detail.render(machines);
    this.renderFailures(machines);
    this.refreshEvents();
    if (pool === undefined) return;
    this.plan.replaceChildren(dryRunPlan(pool) ?? '');
    this.placement.render(pool, machines);
    this.funnel.replaceChildren(strategyFunnel(pool.strategy, this.fleet.strategies.get(`${pool.namespace}/${pool.strategy}`)));
    this.renderCost(pool);
  }

  renderEta() {
    const pool = this.fleet.pools.get(`${this.namespace}/${this.name}`);
    this.eta.textContent = pool === undefined ? '' : etaWords(estimate(pool, this.fleet.machinesOf(this.namespace, this.name), Date.now()));
  }

  renderCost(pool) {
    const budget = this.fleet.strategies.get(`${pool.namespace}/${pool.strategy}`)?.maxHourlyTotal;
    this.cost.replaceChildren(costChart(this.fleet.costs.get(`${pool.namespace}/${pool.name}`) ?? [], budget, Date.now(), this.cost.clientWidth));
  }

  /** Machines that failed while the page was open: whether each is still there or already replaced. */
  renderFailures(machines) {
    const mine = this.fleet.failures.filter((f) => f.namespace === this.namespace && f.pool === this.name);
    if (mine.length === 0) {
      this.failures.replaceChildren(el('p', {}, 'No Machine has failed since this page was opened.'));
      return;
    }
    const present = new Set(machines.map((m) => m.name));
    this.failures.replaceChildren(
      el(
        'ul',
        { class: 'failures' },
        mine.map((f) =>
          el('li', { 'data-name': f.name }, time(f.at.toISOString()), ' ', el('strong', {}, f.name), ` (slot ${f.slot}, ${f.provider} ${f.zone}) failed: ${f.failure ?? 'no reason given'}`, present.has(f.name) ? ' — being replaced.' : ' — replaced.'),
        ),
      ),
    );
  }

  renderSummary(pool, machines) {
    if (pool === undefined) {
      this.summary.replaceChildren(el('p', { class: 'gone' }, `There is no NodePool ${this.label} (any more).`));
      return;
    }
    const counts = phaseCounts(machines);
    const strategy = this.fleet.strategies.get(`${pool.namespace}/${pool.strategy}`);
    const budget = strategy?.maxHourlyTotal;
    const noOffering = emptiedWords(pool.strategy, strategy);
    const steps = PHASES.filter((p) => p !== 'Terminating' || counts[p] > 0);
    this.summary.replaceChildren(
      el('p', { class: 'counts big' }, el('span', { class: 'ready-count', id: 'ready-count' }, `${pool.ready}/${pool.desired}`), ' running'),
      progressBar(counts, pool.desired, `${this.label} progress`),
      el('ol', { class: 'phases', 'aria-label': 'Machines by phase' }, steps.map((p) => el('li', { class: `phase-${p.toLowerCase()}`, 'data-phase': p }, el('span', { class: 'n' }, counts[p]), ` ${p}`))),
      this.eta,
      // What is wrong, said first: over budget, degraded, an invalid spec, remediation paused.
      ...headlineConditions(pool)
        .filter((c) => conditionTone(c) === 'bad')
        .map((c) => el('p', { class: 'alert', 'data-condition': c.type }, c.words)),
      noOffering === undefined ? '' : el('p', { class: 'alert', id: 'no-offering' }, noOffering),
      el('p', { class: 'cost' }, `${dollars(micros(pool.hourlyCost))}/h`, budget === undefined ? ' · no budget' : ` of ${dollars(micros(budget))}/h budget`, ` · Strategy ${pool.strategy}`, pool.paused ? ' · paused' : '', pool.dryRun ? ' · dry run' : '', pool.deleting ? ' · deleting' : ''),
    );
  }

  /** Reads the pool's events now, or once the last read is a second old. */
  refreshEvents() {
    if (this.eventsTimer !== undefined) return;
    const wait = Math.max(0, this.eventsDue - Date.now());
    this.eventsTimer = setTimeout(() => {
      this.eventsDue = Date.now() + EVENTS_EVERY_MS;
      fetch(`/ui/api/pools/${encodeURIComponent(this.namespace)}/${encodeURIComponent(this.name)}/events`)
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
        .then(({ events }) => this.renderEvents(events))
        .catch((e) => this.events.replaceChildren(el('p', {}, `Events could not be read: ${e.message}`)))
        .finally(() => {
          this.eventsTimer = undefined;
        });
    }, wait);
  }

  renderEvents(events) {
    if (events.length === 0) {
      this.events.replaceChildren(el('p', {}, 'No events.'));
      return;
    }
    const newest = [...events].sort((a, b) => b.lastTimestamp.localeCompare(a.lastTimestamp));
    this.events.replaceChildren(
      el(
        'div',
        { class: 'table-wrap', role: 'region', 'aria-label': 'Events', tabindex: 0 },
        el(
          'table',
          { class: 'events' },
          el('thead', {}, el('tr', {}, ['When', 'Reason', 'Message'].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, newest.map((e) => el('tr', { class: e.type === 'Warning' ? 'warning' : '' }, el('td', {}, time(e.lastTimestamp), e.count > 1 ? ` (×${e.count})` : ''), el('td', {}, e.type === 'Warning' ? `Warning: ${e.reason}` : e.reason), el('td', {}, e.message)))),
        ),
      ),
    );
  }
}

function time(iso) {
  return el('time', { datetime: iso }, new Date(iso).toLocaleTimeString());
}
