// A table that renders only the rows in view, so 10,000 Machines scroll as smoothly as 10: rows
// have one fixed height, and two spacer rows stand for the ones above and below the window.

const ROW_HEIGHT = 33;
const OVERSCAN = 8;

export class VirtualTable {
  /** columns: [{ key, title, value(row) → text, num?, open?(row) }]; rows are set with setRows. */
  constructor(label, columns) {
    this.columns = columns;
    this.rows = [];
    this.sortKey = columns[0].key;
    this.sortDir = 1;
    this.filter = '';
    this.view = [];
    this.head = document.createElement('thead');
    this.body = document.createElement('tbody');
    this.table = document.createElement('table');
    this.table.className = 'machines';
    this.table.append(this.head, this.body);
    this.scroller = document.createElement('div');
    this.scroller.className = 'vt';
    this.scroller.setAttribute('role', 'region');
    this.scroller.setAttribute('aria-label', label);
    this.scroller.tabIndex = 0;
    this.scroller.append(this.table);
    this.scroller.addEventListener('scroll', () => this.requestPaint(), { passive: true });
    this.renderHead();
    this.painting = false;
  }

  get element() {
    return this.scroller;
  }

  setRows(rows) {
    this.rows = rows;
    this.recompute();
  }

  setFilter(text) {
    this.filter = text.trim().toLowerCase();
    this.recompute();
  }

  sortBy(key) {
    this.sortDir = this.sortKey === key ? -this.sortDir : 1;
    this.sortKey = key;
    this.renderHead();
    this.recompute();
  }

  recompute() {
    const col = this.columns.find((c) => c.key === this.sortKey);
    const f = this.filter;
    const kept = f === '' ? [...this.rows] : this.rows.filter((r) => this.columns.some((c) => String(c.value(r) ?? '').toLowerCase().includes(f)));
    const cmp = col.num ? (a, b) => (col.sortValue ?? col.value)(a) - (col.sortValue ?? col.value)(b) : (a, b) => String(col.value(a) ?? '').localeCompare(String(col.value(b) ?? ''), undefined, { numeric: true });
    kept.sort((a, b) => this.sortDir * cmp(a, b));
    this.view = kept;
    this.table.setAttribute('aria-rowcount', String(kept.length + 1));
    this.paint();
  }

  requestPaint() {
    if (this.painting) return;
    this.painting = true;
    requestAnimationFrame(() => {
      this.painting = false;
      this.paint();
    });
  }

  paint() {
    const height = this.scroller.clientHeight || 480;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.view.length, Math.ceil((this.scroller.scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
    const rows = [];
    if (first > 0) rows.push(this.spacer(first * ROW_HEIGHT));
    for (let i = first; i < last; i++) rows.push(this.row(this.view[i], i));
    if (last < this.view.length) rows.push(this.spacer((this.view.length - last) * ROW_HEIGHT));
    if (this.view.length === 0) {
      const td = document.createElement('td');
      td.colSpan = this.columns.length;
      td.textContent = this.rows.length === 0 ? 'No Machines yet.' : 'No Machine matches the filter.';
      const tr = document.createElement('tr');
      tr.append(td);
      rows.push(tr);
    }
    // A live update redraws the rows: the button that had focus keeps it.
    const focused = this.body.contains(document.activeElement) ? document.activeElement.dataset.open : undefined;
    this.body.replaceChildren(...rows);
    if (focused !== undefined) this.body.querySelector(`button[data-open="${CSS.escape(focused)}"]`)?.focus();
  }

  row(data, index) {
    const tr = document.createElement('tr');
    tr.setAttribute('aria-rowindex', String(index + 2));
    tr.dataset.name = data.name;
    tr.dataset.phase = data.phase;
    for (const c of this.columns) {
      const td = document.createElement('td');
      const v = c.value(data);
      const text = v === undefined || v === null ? '' : String(v);
      if (c.open === undefined) td.textContent = text;
      else td.append(this.opener(text, () => c.open(data)));
      if (c.num) td.className = 'num';
      if (c.key === 'phase') td.className = `phase phase-${String(v).toLowerCase()}`;
      if (c.titleOf !== undefined) td.title = c.titleOf(data) ?? '';
      tr.append(td);
    }
    return tr;
  }

  /** A cell's text as a button that opens the row (a column with `open`). */
  opener(text, open) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link';
    button.dataset.open = text;
    button.textContent = text;
    button.addEventListener('click', open);
    return button;
  }

  spacer(px) {
    const tr = document.createElement('tr');
    tr.className = 'spacer';
    tr.setAttribute('aria-hidden', 'true');
    const td = document.createElement('td');
    td.colSpan = this.columns.length;
    td.style.height = `${px}px`;
    tr.append(td);
    return tr;
  }

  renderHead() {
    const tr = document.createElement('tr');
    tr.setAttribute('aria-rowindex', '1');
    for (const c of this.columns) {
      const th = document.createElement('th');
      th.scope = 'col';
      if (c.key === this.sortKey) th.setAttribute('aria-sort', this.sortDir === 1 ? 'ascending' : 'descending');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = c.title;
      button.dataset.sort = c.key;
      button.addEventListener('click', () => {
        this.sortBy(c.key);
        this.head.querySelector(`[data-sort="${c.key}"]`)?.focus();
      });
      th.append(button);
      tr.append(th);
    }
    this.head.replaceChildren(tr);
  }
}
