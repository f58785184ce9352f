/**
 * What the browser tests run inside the page, as source text: the project is typed for Node (no
 * DOM library), and these run in the browser, where `document` is real.
 */

/** True once the pool page's big count reads `text`, e.g. "7/7". */
export function readyCountIs(text: string): string {
  return `document.getElementById('ready-count')?.textContent === ${JSON.stringify(text)}`;
}

/** Starts recording every count and phase line the page shows, and sets a marker a reload would wipe. */
export const RECORD_PROGRESS = `(() => {
  window.seen = [document.getElementById('ready-count').textContent];
  window.phases = [];
  window.marker = true;
  new MutationObserver(() => {
    const text = document.getElementById('ready-count')?.textContent ?? '';
    if (window.seen.at(-1) !== text) window.seen.push(text);
    const phases = [...document.querySelectorAll('.phases li')].map((li) => li.textContent).join(', ');
    if (window.phases.at(-1) !== phases) window.phases.push(phases);
  }).observe(document.getElementById('main'), { subtree: true, childList: true, characterData: true });
})()`;

/** What RECORD_PROGRESS saw: { seen, phases, marker }. */
export const RECORDED_PROGRESS = '({ seen: window.seen, phases: window.phases, marker: window.marker })';

/** The name of the Machines table row that shows `instanceId`, or null. */
export function rowNameOfInstance(instanceId: string): string {
  return `[...document.querySelectorAll('tr[data-name]')].find((tr) => tr.textContent.includes(${JSON.stringify(instanceId)}))?.getAttribute('data-name') ?? null`;
}

/** True once the pool is back at 7/7 Running and `gone` has no row. */
export function replacedAndRunning(gone: string, count: number): string {
  return `${readyCountIs(`${count}/${count}`)} && document.querySelector('tr[data-name=${JSON.stringify(gone)}]') === null && document.querySelectorAll('tr[data-phase="Running"]').length === ${count}`;
}

/** The text of the focused element. */
export const FOCUSED_TEXT = 'document.activeElement?.textContent ?? null';

/** axe-core's serious and critical violations, once axe.min.js was evaluated in the page. */
export const AXE_SERIOUS = `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
  .filter((v) => v.impact === 'serious' || v.impact === 'critical')
  .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) })))`;

/** Starts recording every ETA sentence the pool page shows. */
export const RECORD_ETA = `(() => {
  window.etas = [];
  const note = () => {
    const text = document.getElementById('eta')?.textContent ?? '';
    if (text !== '' && window.etas.at(-1) !== text) window.etas.push(text);
  };
  note();
  new MutationObserver(note).observe(document.getElementById('main'), { subtree: true, childList: true, characterData: true });
})()`;

/** What RECORD_ETA saw. */
export const RECORDED_ETAS = 'window.etas';

/** The placement tree's top-level domains: [{ domain, text }]. */
export const TOP_DOMAINS = `[...document.querySelectorAll('#placement .tree > li')].map((li) => ({ domain: li.dataset.domain, text: li.querySelector('summary')?.textContent ?? li.textContent }))`;

/** The cells of the dry run plan's rows: [[slot, domain, type, price, why]]. */
export const PLAN_ROWS = `[...document.querySelectorAll('#plan tbody tr[data-slot]')].map((tr) => [...tr.querySelectorAll('td'), tr.nextElementSibling].map((td) => td.textContent))`;

/** The overview's figures: the fleet's cost, each pool card's cost line, and the totals table's rows. */
export const OVERVIEW_FIGURES = `({
  fleet: document.getElementById('fleet-cost')?.textContent,
  pools: Object.fromEntries([...document.querySelectorAll('.pool-card')].map((li) => [li.dataset.pool, li.querySelector('.cost')?.textContent])),
  totals: [...document.querySelectorAll('#totals tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
})`;
