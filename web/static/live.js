// The fleet as the server last told it, kept current from /ui/api/events (Server-Sent Events).
// EventSource reconnects by itself and sends Last-Event-ID: the server then replays what was
// missed, or sends a fresh snapshot when that id is too old.

export class Fleet {
  constructor() {
    this.pools = new Map();
    this.machines = new Map();
    this.strategies = new Map();
    /** Each pool's cost per hour over time: [{ at, hourlyCost }], by "namespace/name". */
    this.costs = new Map();
    this.lastId = undefined;
    this.listeners = new Set();
    /** Machines seen turning Failed since the page opened, newest first: a replaced Machine goes fast. */
    this.failures = [];
  }

  onChange(listener) {
    this.listeners.add(listener);
  }

  /** Opens the stream; `status(text, ok)` is told whether the page is live. */
  connect(status) {
    const source = new EventSource('/ui/api/events');
    source.addEventListener('snapshot', (e) => {
      const s = JSON.parse(e.data);
      this.pools = new Map(s.pools.map((p) => [`${p.namespace}/${p.name}`, p]));
      this.machines = new Map(s.machines.map((m) => [`${m.namespace}/${m.name}`, m]));
      this.strategies = new Map(s.strategies.map((x) => [`${x.namespace}/${x.name}`, x]));
      this.costs = new Map(s.costs.map((c) => [c.key, [...c.points]]));
      this.changed(e.lastEventId, ['pool', 'machine', 'strategy', 'cost']);
    });
    source.addEventListener('changes', (e) => {
      const { changes } = JSON.parse(e.data);
      for (const c of changes) {
        if (c.kind === 'cost') {
          if (!this.costs.has(c.key)) this.costs.set(c.key, []);
          this.costs.get(c.key).push(c.value);
          continue;
        }
        if (c.kind === 'pool' && c.op === 'delete') this.costs.delete(c.key);
        const map = c.kind === 'pool' ? this.pools : c.kind === 'machine' ? this.machines : this.strategies;
        if (c.kind === 'machine' && c.op === 'put' && c.value.phase === 'Failed' && map.get(c.key)?.phase !== 'Failed') this.failed(c.value);
        if (c.op === 'delete') map.delete(c.key);
        else map.set(c.key, c.value);
      }
      this.changed(e.lastEventId, [...new Set(changes.map((c) => c.kind))]);
    });
    source.addEventListener('open', () => status('live', true));
    // EventSource gives up on an answer other than 200 (the session ended: 401): say so, as it will not come back.
    source.addEventListener('error', () => status(source.readyState === EventSource.CLOSED ? 'disconnected: reload the page' : 'reconnecting…', false));
    return source;
  }

  failed(machine) {
    this.failures.unshift({ ...machine, at: new Date() });
    this.failures.length = Math.min(this.failures.length, 50);
  }

  changed(id, kinds) {
    this.lastId = id;
    for (const l of this.listeners) l(kinds);
  }

  /** The Machines of one pool. */
  machinesOf(namespace, pool) {
    const out = [];
    for (const m of this.machines.values()) if (m.namespace === namespace && m.pool === pool) out.push(m);
    return out;
  }
}
