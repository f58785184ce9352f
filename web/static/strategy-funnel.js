// The Strategy's funnel: how many offerings each filter kept, in the order they run, and which one
// left nothing (the controller's counts, status.funnel).
import { el } from './format.js';

const FILTER_NAMES = { accounts: 'Accounts', regions: 'Regions', catalogue: 'Offerings', hardware: 'Hardware', software: 'Software', maxHourlyPerNode: 'Price per node' };

/** A sentence for the top of the page when the Strategy has no offering left; undefined otherwise. */
export function emptiedWords(strategyName, strategy) {
  const emptiedBy = strategy?.funnel?.emptiedBy;
  if (emptiedBy === undefined) return undefined;
  return `Strategy ${strategyName} has no offering: its ${FILTER_NAMES[emptiedBy].toLowerCase()} filter left nothing (see what each filter kept, below).`;
}

export function strategyFunnel(strategyName, strategy) {
  const title = el('h2', { id: 'funnel-title' }, 'Strategy ', strategyName, ': what its filters kept');
  const section = (...body) => el('section', { id: 'funnel', 'aria-labelledby': 'funnel-title' }, title, ...body);
  if (strategy === undefined) return section(el('p', { class: 'bad-text' }, `There is no Strategy ${strategyName}: the pool cannot create Machines.`));
  if (strategy.funnel === undefined) return section(el('p', {}, 'The controller has not resolved this Strategy yet.'));
  const { stages, emptiedBy } = strategy.funnel;
  const widest = Math.max(1, ...stages.filter((s) => s.filter !== 'accounts' && s.filter !== 'regions').map((s) => s.kept));
  const verdict =
    emptiedBy === undefined
      ? `${strategy.offeringCount ?? stages.at(-1).kept} offerings pass every filter; the pool picks among them.`
      : `The ${FILTER_NAMES[emptiedBy].toLowerCase()} filter left no offering: nothing can be created until the Strategy asks for less there.`;
  return section(
    el('p', { id: 'funnel-verdict', class: emptiedBy === undefined ? undefined : 'bad-text' }, verdict),
    el(
      'ol',
      { class: 'funnel' },
      stages.map((s) => {
        const counted = s.filter === 'accounts' || s.filter === 'regions';
        const bar = el('span', { class: 'funnel-bar', 'aria-hidden': 'true' });
        bar.style.width = counted ? '0' : `${(100 * s.kept) / widest}%`;
        return el(
          'li',
          { 'data-filter': s.filter, class: s.filter === emptiedBy ? 'emptied' : undefined },
          el('span', { class: 'funnel-name' }, FILTER_NAMES[s.filter] ?? s.filter),
          el('span', { class: 'funnel-kept' }, `${s.kept} ${s.filter === 'accounts' ? 'read' : 'kept'}`),
          el('span', { class: 'funnel-asks' }, s.asks),
          counted ? null : el('span', { class: 'funnel-track' }, bar),
        );
      }),
    ),
  );
}
