// A pool's page: live progress (Pending → Provisioning → Running), its conditions in words, the
// Machines table (virtualized, sortable, filterable) and the pool's Events.
import { conditionTone } from './overview.js';
import { dollars, el, micros, PHASES, phaseCounts, poolLabel, progressBar } from './format.js';
import { VirtualTable } from './virtual-table.js';
import { PoolActions } from './pool-actions.js';

const COLUMNS = [
  { key: 'name', title: 'Name', value: (m) => m.name },
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
    this.table = new VirtualTable(`Machines of ${this.label}`, COLUMNS);
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
      this.actions.element,
      el('h2', {}, 'Conditions'),
      this.conditions,
      el('h2', {}, 'Machines ', this.count),
      el('div', { class: 'filter' }, el('label', { for: 'machine-filter' }, 'Filter'), filter),
      this.table.element,
      el('h2', {}, 'Failures seen'),
      this.failures,
      el('h2', {}, 'Events'),
      this.events,
    );
    this.eventsDue = 0;
    this.eventsTimer = undefined;
  }

  render() {
    const pool = this.fleet.pools.get(`${this.namespace}/${this.name}`);
    const machines = this.fleet.machinesOf(this.namespace, this.name);
    this.renderSummary(pool, machines);
    this.actions.render(pool);
    const order = (c) => CONDITION_ORDER.indexOf(c.type) >>> 0;
    this.conditions.replaceChildren(...[...(pool?.conditions ?? [])].sort((a, b) => order(a) - order(b)).map((c) => el('li', { class: `cond cond-${c.type.toLowerCase()} ${conditionTone(c)}` }, el('strong', {}, `${c.type}: `), c.words)));
    this.count.textContent = `(${machines.length})`;
    this.table.setRows(machines);
    this.renderFailures(machines);
    this.refreshEvents();
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
    const budget = this.fleet.strategies.get(`${pool.namespace}/${pool.strategy}`)?.maxHourlyTotal;
    const steps = PHASES.filter((p) => p !== 'Terminating' || counts[p] > 0);
    this.summary.replaceChildren(
      el('p', { class: 'counts big' }, el('span', { class: 'ready-count', id: 'ready-count' }, `${pool.ready}/${pool.desired}`), ' running'),
      progressBar(counts, pool.desired, `${this.label} progress`),
      el('ol', { class: 'phases', 'aria-label': 'Machines by phase' }, steps.map((p) => el('li', { class: `phase-${p.toLowerCase()}`, 'data-phase': p }, el('span', { class: 'n' }, counts[p]), ` ${p}`))),
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
