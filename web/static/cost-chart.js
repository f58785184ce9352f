// The pool's cost per hour over time as an SVG step chart, drawn here (no charting library: the page
// ships no dependency). Attributes and classes only: the CSP allows no inline style.
import { dollars, el, micros } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const HEIGHT = 180;
const PAD = { left: 64, right: 16, top: 14, bottom: 28 };

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, String(v));
  for (const c of children) if (c !== null) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function clock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/**
 * points: [{ at, hourlyCost }] (each the cost from `at` on); budget: money or undefined; width in px.
 * A step line up to `now`, the budget as a dashed line, and a sentence saying the same in words.
 */
export function costChart(points, budget, now, width) {
  if (points.length === 0) return el('p', {}, 'No cost seen yet.');
  const series = points.map((p) => ({ t: Date.parse(p.at), v: micros(p.hourlyCost) }));
  const start = series[0].t;
  const end = Math.max(now, series.at(-1).t + 1000);
  const cap = budget === undefined ? undefined : micros(budget);
  // At least a cent high, so a pool that costs nothing yet still has a readable axis.
  const top = Math.max(10_000, cap ?? 0, ...series.map((p) => p.v)) * 1.1;
  const w = Math.max(280, width);
  const x = (t) => PAD.left + ((t - start) / (end - start)) * (w - PAD.left - PAD.right);
  const y = (v) => HEIGHT - PAD.bottom - (v / top) * (HEIGHT - PAD.top - PAD.bottom);
  let d = `M${x(series[0].t).toFixed(1)},${y(series[0].v).toFixed(1)}`;
  series.forEach((p, i) => {
    const next = series[i + 1]?.t ?? end;
    d += ` H${x(next).toFixed(1)}`;
    if (series[i + 1] !== undefined) d += ` V${y(series[i + 1].v).toFixed(1)}`;
  });
  const highest = Math.max(...series.map((p) => p.v));
  const nowCost = series.at(-1).v;
  const words = `Cost per hour from ${clock(start)} to ${clock(end)}: now ${dollars(nowCost)}/h, highest ${dollars(highest)}/h${cap === undefined ? ', no budget' : `, budget ${dollars(cap)}/h`}.`;
  const ticks = [0, top / 2 / 1.1, top / 1.1].map((v) =>
    svg('g', { class: 'tick' }, svg('line', { x1: PAD.left, x2: w - PAD.right, y1: y(v), y2: y(v), class: 'grid' }), svg('text', { x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, dollars(v))),
  );
  const chart = svg(
    'svg',
    { class: 'cost-chart', id: 'cost-chart', width: w, height: HEIGHT, viewBox: `0 0 ${w} ${HEIGHT}`, role: 'img', 'aria-label': words },
    ...ticks,
    cap === undefined ? null : svg('g', { class: 'budget' }, svg('line', { x1: PAD.left, x2: w - PAD.right, y1: y(cap), y2: y(cap) }), svg('text', { x: w - PAD.right, y: y(cap) - 5, 'text-anchor': 'end' }, `budget ${dollars(cap)}/h`)),
    svg('path', { d, class: 'cost-line', 'data-points': series.length }),
    svg('text', { x: PAD.left, y: HEIGHT - 8, class: 'axis' }, clock(start)),
    svg('text', { x: w - PAD.right, y: HEIGHT - 8, class: 'axis', 'text-anchor': 'end' }, 'now'),
  );
  return el('figure', { class: 'cost-figure' }, chart, el('figcaption', { id: 'cost-words' }, words, ' Kept since the web view began watching the store; each step is a change in the Running Machines\' prices.'));
}
