// The inventory page: per tenant (namespace), its groups, its hosts and each host's variables with
// blame (where each value came from and what it overrode). It reads the inventory REST API (/v1/…)
// of the server the web view is mounted on, with the caller's own credentials: the same answers
// ansible-inventory gets. Read again when the fleet changes (hosts are Running Machines).
import { el } from './format.js';

/** Reads at most this often while the fleet changes. */
const READ_EVERY_MS = 2000;

export class InventoryPage {
  constructor(root, fleet) {
    this.root = root;
    this.fleet = fleet;
    this.tenant = undefined;
    this.host = undefined;
    this.due = 0;
    this.timer = undefined;
    document.title = 'Inventory · polyfleet';
    this.picker = el('div', { id: 'tenant-picker' });
    this.body = el('div', { id: 'inventory' }, el('p', {}, 'Loading the inventory…'));
    this.detail = el('section', { id: 'host-detail', 'aria-labelledby': 'host-detail-title', hidden: true });
    root.replaceChildren(
      el('nav', { 'aria-label': 'Breadcrumb', class: 'crumbs' }, el('a', { href: '/ui/' }, 'Fleet'), ' › ', el('span', { 'aria-current': 'page' }, 'Inventory')),
      el('h1', {}, 'Inventory'),
      el('p', { class: 'explain' }, 'The Ansible inventory polyfleet serves: every Running Machine with an address is a host; HostGroups make the groups and their variables. A host\'s variables show which group (or the host itself) gave each value and what it overrode, as Ansible resolves them.'),
      this.picker,
      this.body,
      this.detail,
    );
  }

  /** Called on every change of the fleet: reads the inventory again, at most every READ_EVERY_MS. */
  render() {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.due = Date.now() + READ_EVERY_MS;
      this.read().finally(() => {
        this.timer = undefined;
      });
    }, Math.max(0, this.due - Date.now()));
  }

  async read() {
    try {
      const { tenants } = await getJson('/v1/tenants');
      if (tenants.length === 0) {
        this.picker.replaceChildren();
        this.body.replaceChildren(el('p', {}, 'No tenant you may read has an inventory yet.'));
        return;
      }
      if (!tenants.some((t) => t.name === this.tenant)) this.tenant = tenants[0].name;
      this.renderPicker(tenants);
      const t = encodeURIComponent(this.tenant);
      const [groups, hosts] = await Promise.all([getJson(`/v1/groups/${t}`), getJson(`/v1/hosts?tenant=${t}`)]);
      this.body.replaceChildren(problems(groups.problems), ...groupsTable(groups.groups), ...hostsTable(hosts.items, (name) => this.openHost(name)));
      if (this.host !== undefined) await this.renderHost();
    } catch (e) {
      this.body.replaceChildren(el('p', { class: 'bad-text' }, e.message));
    }
  }

  renderPicker(tenants) {
    const select = el(
      'select',
      { id: 'tenant', onchange: (e) => this.pick(e.target.value) },
      tenants.map((t) => el('option', { value: t.name, selected: t.name === this.tenant }, `${t.name} (${t.hosts} host${t.hosts === 1 ? '' : 's'})`)),
    );
    this.picker.replaceChildren(el('div', { class: 'filter' }, el('label', { for: 'tenant' }, 'Tenant'), select));
  }

  pick(tenant) {
    this.tenant = tenant;
    this.closeHost();
    void this.read();
  }

  async openHost(name) {
    this.host = name;
    await this.renderHost();
    this.detail.querySelector('button.close')?.focus();
  }

  async renderHost() {
    const name = this.host;
    const r = await fetch(`/v1/hosts/${encodeURIComponent(this.tenant)}/${encodeURIComponent(name)}?blame=true`);
    const close = el('button', { type: 'button', class: 'close', onclick: () => this.closeHost() }, 'Close');
    this.detail.hidden = false;
    if (!r.ok) {
      this.detail.replaceChildren(el('h2', { id: 'host-detail-title' }, `Host ${name}`), el('p', {}, r.status === 404 ? 'This host is no longer in the inventory.' : `The inventory API answered ${r.status}.`), close);
      return;
    }
    const host = await r.json();
    this.detail.replaceChildren(el('h2', { id: 'host-detail-title' }, `Host ${name}: variables and where they come from`), el('p', {}, `In groups ${host.groups.join(', ')}.`), blameTable(host.blame ?? []), close);
  }

  closeHost() {
    const name = this.host;
    this.host = undefined;
    this.detail.hidden = true;
    if (name !== undefined) this.body.querySelector(`button[data-host="${CSS.escape(name)}"]`)?.focus();
  }
}

async function getJson(path) {
  const r = await fetch(path);
  if (r.status === 404 && path === '/v1/tenants') throw new Error('This web view is not served by the inventory API\'s server, so it cannot show the inventory: open the web view at the inventory address (polyfleet run --inventory-addr, polyfleet controller --inventory-addr).');
  if (!r.ok) throw new Error(`The inventory API answered ${r.status} to ${path}: ${(await r.text()).slice(0, 300)}`);
  return r.json();
}

function problems(list) {
  if (list.length === 0) return '';
  return el('ul', { class: 'failures' }, list.map((p) => el('li', {}, typeof p === 'string' ? p : JSON.stringify(p))));
}

function value(v) {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function wrap(label, table) {
  return el('div', { class: 'table-wrap', role: 'region', 'aria-label': label, tabindex: 0 }, table);
}

function groupsTable(groups) {
  return [
    el('h2', {}, `Groups (${groups.length})`),
    wrap(
      'Groups',
      el(
        'table',
        { class: 'inventory', id: 'groups' },
        el('thead', {}, el('tr', {}, ['Group', 'Hosts', 'Children', 'Priority', 'Its own variables'].map((h) => el('th', { scope: 'col' }, h)))),
        el(
          'tbody',
          {},
          groups.map((g) =>
            el(
              'tr',
              { 'data-group': g.name },
              el('td', {}, el('strong', {}, g.name), g.hostGroup === undefined || g.hostGroup === g.name ? '' : el('span', { class: 'muted' }, ` (HostGroup ${g.hostGroup})`)),
              el('td', {}, g.hosts.join(', ')),
              el('td', {}, g.children.join(', ')),
              el('td', { class: 'num' }, g.priority),
              el('td', { class: 'vars' }, Object.entries(g.vars).map(([k, v]) => el('code', {}, `${k}=${value(v)}`))),
            ),
          ),
        ),
      ),
    ),
  ];
}

function hostsTable(hosts, open) {
  return [
    el('h2', {}, `Hosts (${hosts.length})`),
    hosts.length === 0
      ? el('p', {}, 'No host yet: a Machine becomes a host once it runs and has an address.')
      : wrap(
          'Hosts',
          el(
            'table',
            { class: 'inventory', id: 'hosts' },
            el('thead', {}, el('tr', {}, ['Host', 'Address', 'Groups'].map((h) => el('th', { scope: 'col' }, h)))),
            el(
              'tbody',
              {},
              hosts.map((h) =>
                el(
                  'tr',
                  { 'data-host': h.name },
                  el('td', {}, el('button', { type: 'button', class: 'link', 'data-host': h.name, onclick: () => open(h.name) }, h.name)),
                  el('td', {}, h.facts.ansible_host ?? ''),
                  el('td', {}, h.groups.join(', ')),
                ),
              ),
            ),
          ),
        ),
  ];
}

function source(s) {
  return s.kind === 'host' ? 'the host itself' : `group ${s.group}${s.hostGroup === undefined || s.hostGroup === s.group ? '' : ` (HostGroup ${s.hostGroup})`}`;
}

function blameTable(blame) {
  return wrap(
    'Variables with blame',
    el(
      'table',
      { class: 'inventory', id: 'blame' },
      el('thead', {}, el('tr', {}, ['Variable', 'Value', 'From', 'Overrode'].map((h) => el('th', { scope: 'col' }, h)))),
      el(
        'tbody',
        {},
        blame.map((b) =>
          el(
            'tr',
            { 'data-var': b.name },
            el('td', {}, el('code', {}, b.name)),
            el('td', { class: 'vars' }, value(b.value)),
            el('td', {}, source(b.source)),
            el('td', { class: 'vars' }, b.overridden.map((o) => `${value(o.value)} from ${source(o.source)}`).join('; ')),
          ),
        ),
      ),
    ),
  );
}
