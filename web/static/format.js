// Small helpers every page uses: building elements, money, phases.

/** The Machine phases in lifecycle order, as api/machine.ts has them. */
export const PHASES = ['Pending', 'Provisioning', 'Running', 'Failed', 'Terminating'];

/** el('a', { href: '/ui/', class: 'x' }, 'text', child): an element; no HTML strings, so nothing is ever parsed from data. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null) node.append(c instanceof Node ? c : String(c));
  return node;
}

/** "0.033539" → 33539 (millionths of a dollar): sums stay exact. */
export function micros(money) {
  if (money === undefined || money === null || money === '') return 0;
  const [whole, frac = ''] = String(money).split('.');
  return Number(whole) * 1_000_000 + Number((frac + '000000').slice(0, 6));
}

/** 234779 → "$0.2348"; cents for amounts of a dollar or more. */
export function dollars(m) {
  const d = m / 1_000_000;
  return `$${d >= 1 ? d.toFixed(2) : d.toFixed(4)}`;
}

export function poolHref(namespace, name) {
  return `/ui/pools/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

export function poolLabel(namespace, name) {
  return namespace === 'default' ? name : `${namespace}/${name}`;
}

/** Counts of each phase among `machines`. */
export function phaseCounts(machines) {
  const counts = Object.fromEntries(PHASES.map((p) => [p, 0]));
  for (const m of machines) counts[m.phase] = (counts[m.phase] ?? 0) + 1;
  return counts;
}

/**
 * A bar of `desired` split by phase (Running, then Provisioning, Pending, Failed), announced as
 * "N of D running". Widths are set through the CSSOM: the CSP allows no inline styles.
 */
export function progressBar(counts, desired, label) {
  const total = Math.max(desired, 1);
  const bar = el('div', { class: 'bar', role: 'progressbar', 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': desired, 'aria-valuenow': Math.min(counts.Running, desired), 'aria-valuetext': `${counts.Running} of ${desired} running` });
  for (const phase of ['Running', 'Provisioning', 'Pending', 'Failed']) {
    if (counts[phase] === 0) continue;
    const seg = el('span', { class: `seg seg-${phase.toLowerCase()}` });
    seg.style.width = `${Math.min(100, (100 * counts[phase]) / total)}%`;
    bar.append(seg);
  }
  return bar;
}

/** The condition that tells most about a pool, first: a problem, else progress, else Ready. */
export function headlineConditions(pool) {
  const byType = new Map(pool.conditions.map((c) => [c.type, c]));
  const shown = [];
  for (const type of ['InvalidSpec', 'BudgetExceeded', 'Degraded', 'RemediationPaused']) {
    const c = byType.get(type);
    if (c?.status === 'True') shown.push(c);
  }
  const progressing = byType.get('Progressing');
  if (progressing?.status === 'True' || progressing?.reason === 'Paused') shown.push(progressing);
  const ready = byType.get('Ready');
  if (ready !== undefined) shown.push(ready);
  return shown;
}

/** Calls `fn` at most once per animation frame, however many times it is asked. */
export function perFrame(fn) {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      fn();
    });
  };
}
