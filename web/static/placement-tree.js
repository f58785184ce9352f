// The placement tree: provider → region → zone (the pool's failure-domain paths), each domain with
// its Machines and Running ones against its share, the desired slots the placement puts there.
import { el } from './format.js';

const FIELDS = ['provider', 'region', 'zone'];

/** pool.domains folded into a tree by path segment; every node sums the leaves below it. */
export function domainTree(domains) {
  const root = { children: new Map(), machines: 0, running: 0, share: 0 };
  for (const d of domains) {
    let node = root;
    const add = (n) => {
      n.machines += d.replicas;
      n.running += d.readyReplicas;
      n.share += d.desiredReplicas ?? 0;
    };
    add(root);
    const segments = d.domain.split('/');
    segments.forEach((segment, i) => {
      if (!node.children.has(segment)) node.children.set(segment, { name: segment, path: segments.slice(0, i + 1).join('/'), children: new Map(), machines: 0, running: 0, share: 0 });
      node = node.children.get(segment);
      add(node);
    });
  }
  return root;
}

/** What a domain's counts mean against its share, in words. */
export function shareWords(n) {
  const counts = `${n.machines} Machine${n.machines === 1 ? '' : 's'}, ${n.running} running, share ${n.share}`;
  if (n.machines === n.share) return counts;
  return n.machines < n.share ? `${counts} (${n.share - n.machines} short)` : `${counts} (${n.machines - n.share} over)`;
}

export class PlacementTree {
  constructor() {
    /** Paths the user folded: kept across renders. */
    this.closed = new Set();
    this.element = el('section', { id: 'placement', 'aria-labelledby': 'placement-title' });
  }

  render(pool, machines) {
    const levelOf = levelNames([...machines, ...(pool.plan ?? [])]);
    const tree = domainTree(pool.domains);
    const intro = el(
      'p',
      { class: 'explain' },
      pool.placementRule === undefined ? 'No PlacementRule: every Machine goes to the single best offering. ' : `PlacementRule ${pool.placementRule} spreads the Machines with CRUSH. `,
      `Share: how many of the ${pool.desired} desired Machines the placement puts in that domain. A domain short of its share is still filling (or held back: see the conditions); one over it has Machines to leave.`,
    );
    const body = tree.children.size === 0 ? el('p', {}, 'No Machine is placed yet.') : el('ul', { class: 'tree', 'aria-label': 'Failure domains' }, [...tree.children.values()].map((n) => this.node(n, 0, levelOf)));
    // A live update redraws the tree: the domain whose summary had focus keeps it.
    const focused = this.element.contains(document.activeElement) ? document.activeElement.closest('li[data-domain]')?.dataset.domain : undefined;
    this.element.replaceChildren(el('h2', { id: 'placement-title' }, 'Placement: provider → region → zone'), intro, body);
    if (focused !== undefined) this.element.querySelector(`li[data-domain="${CSS.escape(focused)}"] > details > summary`)?.focus();
  }

  node(n, depth, levelOf) {
    const level = levelOf.get(n.name);
    const label = [level === undefined ? null : el('span', { class: 'level' }, level), el('strong', {}, n.name), ' ', el('span', { class: n.machines === n.share ? 'share' : 'share off' }, shareWords(n))];
    const meter = el('span', { class: 'share-meter', 'aria-hidden': 'true' });
    const fill = el('span', { class: 'share-fill' });
    fill.style.width = `${n.share === 0 ? (n.running > 0 ? 100 : 0) : Math.min(100, (100 * n.running) / n.share)}%`;
    meter.append(fill);
    if (n.children.size === 0) return el('li', { 'data-domain': n.path }, label, meter);
    const details = el('details', { open: !this.closed.has(n.path) }, el('summary', {}, label, meter), el('ul', {}, [...n.children.values()].map((c) => this.node(c, depth + 1, levelOf))));
    details.addEventListener('toggle', () => (details.open ? this.closed.delete(n.path) : this.closed.add(n.path)));
    return el('li', { 'data-domain': n.path }, details);
  }
}

/** A path segment → provider, region or zone, from the Machines (or a dry run's planned slots) placed there. */
function levelNames(placed) {
  const names = new Map();
  for (const m of placed) for (const f of FIELDS) if (m[f] !== undefined) names.set(m[f], f);
  return names;
}
