// One Machine in full, opened from its row in the Machines table: where it is and why (the
// placement explanation CRUSH and the pick wrote), what it costs, and why it failed.
import { dollars, el, micros } from './format.js';

export class MachineDetail {
  constructor() {
    this.name = undefined;
    this.content = el('div');
    // Kept across renders, so a live update does not take the focus away from it.
    this.closeButton = el('button', { type: 'button', class: 'close', onclick: () => this.close() }, 'Close');
    this.element = el('section', { id: 'machine-detail', 'aria-labelledby': 'machine-detail-title', hidden: true }, this.content, this.closeButton);
  }

  open(name) {
    this.name = name;
    this.element.hidden = false;
  }

  render(machines) {
    if (this.name === undefined) return;
    const m = machines.find((x) => x.name === this.name);
    if (m === undefined) {
      this.content.replaceChildren(el('h2', { id: 'machine-detail-title' }, `Machine ${this.name}`), el('p', {}, 'This Machine is gone: it was replaced or removed.'));
      return;
    }
    const row = (term, ...value) => [el('dt', {}, term), el('dd', {}, ...value)];
    this.content.replaceChildren(
      el('h2', { id: 'machine-detail-title' }, `Machine ${m.name}`),
      el(
        'dl',
        { class: 'detail' },
        row('Phase', m.phase),
        row('Slot', String(m.slot)),
        row('Where', `account ${m.provider}, region ${m.region}, zone ${m.zone}`),
        row('Type', m.instanceType, m.hourlyPrice === undefined ? '' : ` at ${dollars(micros(m.hourlyPrice))}/h`),
        row('Instance', m.instanceId ?? 'not created yet'),
        row('Why here', el('span', { id: 'placement-why' }, m.placement ?? 'No placement explanation recorded yet.')),
        m.failure === undefined ? [] : row('Why it failed', m.failure),
      ),
    );
  }

  close() {
    const name = this.name;
    this.name = undefined;
    this.element.hidden = true;
    document.querySelector(`button[data-open="${CSS.escape(name)}"]`)?.focus();
  }
}
