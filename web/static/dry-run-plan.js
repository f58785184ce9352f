// A dryRun pool's plan (status.plan): where each slot would go, what it would cost, and why.
import { dollars, el, micros } from './format.js';

/** The plan as a table with a sentence saying what it means; null when the pool is not a dry run. */
export function dryRunPlan(pool) {
  if (!pool.dryRun) return null;
  const plan = pool.plan ?? [];
  if (plan.length === 0) return el('section', { id: 'plan', 'aria-labelledby': 'plan-title' }, el('h2', { id: 'plan-title' }, 'Dry run plan'), el('p', {}, 'A dry run: nothing is created. The controller has not written a plan yet.'));
  const placed = plan.filter((n) => n.domain !== undefined);
  const total = placed.reduce((sum, n) => sum + micros(n.hourlyPrice), 0);
  const unplaced = plan.length - placed.length;
  return el(
    'section',
    { id: 'plan', 'aria-labelledby': 'plan-title' },
    el('h2', { id: 'plan-title' }, 'Dry run plan'),
    el(
      'p',
      { class: 'plan-summary', id: 'plan-summary' },
      `A dry run: nothing is created. These ${plan.length} slots would run ${placed.length} Machines for ${dollars(total)}/h in all`,
      unplaced === 0 ? '.' : `; ${unplaced} slot${unplaced === 1 ? '' : 's'} would find no place.`,
      ' Set dryRun: false to create them.',
    ),
    el(
      'div',
      { class: 'table-wrap', role: 'region', 'aria-label': 'Dry run plan', tabindex: 0 },
      el(
        'table',
        { class: 'plan' },
        el('thead', {}, el('tr', {}, ['Slot', 'Would go to', 'Type', 'Price/h'].map((h, i) => el('th', { scope: 'col', class: i === 0 || i === 3 ? 'num' : undefined }, h)))),
        el(
          'tbody',
          {},
          // Each slot's explanation on a row of its own below it: long, it reads best at the table's full width.
          plan.flatMap((n) => [
            el(
              'tr',
              { 'data-slot': n.slot, class: n.domain === undefined ? 'warning' : undefined },
              el('td', { class: 'num' }, n.slot),
              el('td', { class: 'domain' }, n.domain ?? 'nowhere'),
              el('td', {}, n.instanceType ?? ''),
              el('td', { class: 'num' }, n.hourlyPrice === undefined ? '' : dollars(micros(n.hourlyPrice))),
            ),
            el('tr', { class: 'why-row' }, el('td', { colspan: 4 }, el('span', { class: 'why-label' }, 'Why: '), n.explanation)),
          ]),
        ),
      ),
    ),
  );
}
