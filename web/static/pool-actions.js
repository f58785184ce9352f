// A pool's guarded actions: scale (spec.replicas) and pause or resume (spec.paused), each confirmed
// in a dialog first. The controls exist only when the server says the caller may patch this pool
// (RBAC in a cluster); the server checks again on every POST, with the session's CSRF token.
import { el } from './format.js';
import { post } from './session.js';

export class PoolActions {
  constructor(namespace, name, label) {
    this.base = `/ui/api/pools/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
    this.label = label;
    this.pool = undefined;
    this.element = el('section', { class: 'actions', id: 'pool-actions', 'aria-labelledby': 'actions-title' });
    fetch(`${this.base}/permissions`)
      .then((r) => (r.ok ? r.json() : { patch: false }))
      .then(({ patch }) => (patch ? this.build() : this.readOnly()))
      .catch(() => this.readOnly());
  }

  readOnly() {
    this.element.replaceChildren(el('p', { class: 'note', id: 'read-only-note' }, 'You may look at this pool but not change it: scaling and pausing take patch on the NodePool.'));
  }

  build() {
    this.replicas = el('input', { type: 'number', id: 'replicas-input', min: 0, max: 10000, step: 1, required: true, oninput: () => (this.edited = true) });
    this.pauseButton = el('button', { type: 'button', id: 'pause-button', onclick: () => this.confirmPause() });
    this.status = el('p', { id: 'action-status', role: 'status' });
    this.dialog = el('dialog', { id: 'confirm-dialog', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text' });
    const form = el(
      'form',
      { class: 'scale-form', onsubmit: (e) => (e.preventDefault(), this.confirmScale()) },
      el('label', { for: 'replicas-input' }, 'Replicas'),
      this.replicas,
      el('button', { type: 'submit', id: 'scale-button' }, 'Scale…'),
    );
    this.element.replaceChildren(el('h2', { id: 'actions-title' }, 'Actions'), el('div', { class: 'action-row' }, form, this.pauseButton), this.status, this.dialog);
    this.render(this.pool);
  }

  /** Keeps the controls in step with the pool, without overwriting what the user is typing. */
  render(pool) {
    this.pool = pool;
    if (this.replicas === undefined || pool === undefined) return;
    if (!this.edited && document.activeElement !== this.replicas) this.replicas.value = String(pool.replicas);
    this.pauseButton.textContent = pool.paused ? 'Resume…' : 'Pause…';
  }

  confirmScale() {
    const from = this.pool.replicas;
    const to = Number(this.replicas.value);
    const change = to === from ? 'That is what it has now.' : to > from ? `${to - from} more node${to - from === 1 ? '' : 's'} will be created (and paid for).` : `${from - to} node${from - to === 1 ? '' : 's'} will be terminated.`;
    this.confirm(`Scale ${this.label} to ${to}?`, `From ${from} replicas to ${to}. ${change}`, `Scale to ${to}`, async () => {
      await post(`${this.base}/scale`, { replicas: to });
      this.edited = false;
      return `Scaled ${this.label} to ${to} replicas; the counts above follow as Machines change.`;
    });
  }

  confirmPause() {
    const pause = !this.pool.paused;
    const text = pause ? 'No Machine will be created or deleted (failed ones are not replaced) until it is resumed.' : 'Machines are created and deleted again to reach the desired count.';
    this.confirm(`${pause ? 'Pause' : 'Resume'} ${this.label}?`, text, pause ? 'Pause' : 'Resume', async () => {
      await post(`${this.base}/pause`, { paused: pause });
      return `${pause ? 'Paused' : 'Resumed'} ${this.label}.`;
    });
  }

  /** A modal dialog: Cancel (or Escape) does nothing; the action button runs `run` and reports the outcome. */
  confirm(title, text, action, run) {
    const cancel = el('button', { type: 'button', onclick: () => this.dialog.close() }, 'Cancel');
    const ok = el('button', {
      type: 'button',
      id: 'confirm-button',
      class: 'primary',
      onclick: () => {
        this.dialog.close();
        this.status.textContent = 'Sending…';
        run().then(
          (done) => (this.status.textContent = done),
          (e) => (this.status.textContent = `Refused: ${e.message}`),
        );
      },
    }, action);
    this.dialog.replaceChildren(el('h2', { id: 'confirm-title' }, title), el('p', { id: 'confirm-text' }, text), el('div', { class: 'dialog-buttons' }, cancel, ok));
    this.dialog.showModal();
    cancel.focus();
  }
}
