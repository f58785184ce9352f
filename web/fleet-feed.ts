import type { Store, Watch } from '../runtime/store/index.js';
import { CostHistory, type CostPoint, type PoolCosts } from './cost-history.js';
import { machineView, poolView, strategyView, type MachineView, type PoolView, type StrategyView } from './view-model.js';

/** One change the pages apply: a whole new view of an object (`put`), or its removal. */
export type Change =
  | { readonly kind: 'pool'; readonly op: 'put'; readonly key: string; readonly value: PoolView }
  | { readonly kind: 'machine'; readonly op: 'put'; readonly key: string; readonly value: MachineView }
  | { readonly kind: 'strategy'; readonly op: 'put'; readonly key: string; readonly value: StrategyView }
  | { readonly kind: ChangeKind; readonly op: 'delete'; readonly key: string }
  /** The pool `key` cost this much per hour from `value.at` on (its chart gains a point). */
  | { readonly kind: 'cost'; readonly op: 'append'; readonly key: string; readonly value: CostPoint };
export type ChangeKind = 'pool' | 'machine' | 'strategy';

/** Everything the pages show, as of the change `id`. */
export interface Snapshot {
  readonly id: string;
  readonly pools: readonly PoolView[];
  readonly machines: readonly MachineView[];
  readonly strategies: readonly StrategyView[];
  /** Each pool's cost per hour over time, since the feed began watching. */
  readonly costs: readonly PoolCosts[];
}

/** The changes since the previous batch; `id` is the last one's, for Last-Event-ID. */
export interface Batch {
  readonly id: string;
  readonly changes: readonly Change[];
}

/** How a client that last saw an id catches up: the changes it missed, or (id too old or unknown) all of it anew. */
export type Resume = { readonly kind: 'replay'; readonly batch: Batch | undefined } | { readonly kind: 'snapshot'; readonly snapshot: Snapshot };

export interface FleetFeedOptions {
  readonly store: Store;
  /** Changes within this window go out as one batch (default 100 ms: many Machines change at once). */
  readonly batchMs?: number;
  /** How many changes are kept for clients that reconnect (default 20,000); an older id gets a snapshot. */
  readonly retainChanges?: number;
  /** Told apart from a restarted feed's ids (default random). */
  readonly epoch?: string;
  /** When a cost changed (default the wall clock). */
  readonly now?: () => Date;
}

interface Entry {
  readonly seq: number;
  readonly change: Change;
}

/**
 * The fleet as the web view shows it, kept from the store's watches: the current views, and a log
 * of numbered changes sent to subscribers in batches. A client that reconnects names the last id it
 * saw and gets exactly what it missed while the log still holds it.
 */
export class FleetFeed {
  /** Resolves once every watch delivered the objects that existed when it began. */
  readonly ready: Promise<void>;
  private readonly views: Record<ChangeKind, Map<string, { json: string; value: PoolView | MachineView | StrategyView }>> = {
    pool: new Map(),
    machine: new Map(),
    strategy: new Map(),
  };
  private readonly costs = new CostHistory();
  private readonly now: () => Date;
  private readonly log: Entry[] = [];
  private readonly listeners = new Set<(batch: Batch) => void>();
  private readonly watches: Watch[];
  private readonly epoch: string;
  private readonly batchMs: number;
  private readonly retain: number;
  private seq = 0;
  private flushedSeq = 0;
  private timer: NodeJS.Timeout | undefined;
  private synced = false;

  constructor(options: FleetFeedOptions) {
    this.epoch = options.epoch ?? Math.random().toString(36).slice(2, 10);
    this.batchMs = options.batchMs ?? 100;
    this.retain = options.retainChanges ?? 20_000;
    this.now = options.now ?? (() => new Date());
    const { store } = options;
    this.watches = [
      store.watch('NodePool', ({ type, object }) => {
        const view = type === 'DELETED' ? undefined : poolView(object);
        this.record('pool', keyOf(object), view);
        this.recordCost(keyOf(object), view);
      }),
      store.watch('Machine', ({ type, object }) => {
        this.record('machine', keyOf(object), type === 'DELETED' ? undefined : machineView(object));
      }),
      store.watch('Strategy', ({ type, object }) => {
        this.record('strategy', keyOf(object), type === 'DELETED' ? undefined : strategyView(object));
      }),
    ];
    this.ready = Promise.all(this.watches.map((w) => w.synced)).then(() => {
      this.synced = true;
    });
  }

  /** The id of the last change sent out. */
  get lastId(): string {
    return `${this.epoch}-${this.flushedSeq}`;
  }

  snapshot(): Snapshot {
    const values = <T>(kind: ChangeKind) => [...this.views[kind].values()].map((v) => v.value as T);
    return {
      id: this.lastId,
      pools: values<PoolView>('pool'),
      machines: values<MachineView>('machine'),
      strategies: values<StrategyView>('strategy'),
      costs: this.costs.all(),
    };
  }

  /** What a client that last saw `lastEventId` needs; undefined (a first connection) gets a snapshot. */
  resume(lastEventId: string | undefined): Resume {
    const seq = this.seqOf(lastEventId);
    const oldest = this.log[0]?.seq ?? this.flushedSeq + 1;
    if (seq === undefined || seq > this.flushedSeq || seq < oldest - 1) return { kind: 'snapshot', snapshot: this.snapshot() };
    const missed = this.log.filter((e) => e.seq > seq && e.seq <= this.flushedSeq);
    return { kind: 'replay', batch: missed.length === 0 ? undefined : this.batchOf(missed) };
  }

  /** Calls `listener` with every batch from now on; returns how to stop. */
  subscribe(listener: (batch: Batch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    for (const w of this.watches) w.stop();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.listeners.clear();
  }

  private record(kind: ChangeKind, key: string, value: PoolView | MachineView | StrategyView | undefined): void {
    const views = this.views[kind];
    let change: Change;
    if (value === undefined) {
      if (!views.delete(key)) return;
      change = { kind, op: 'delete', key };
    } else {
      const json = JSON.stringify(value);
      // A resync or a status field the page does not show changes nothing on screen: nothing to send.
      if (views.get(key)?.json === json) return;
      views.set(key, { json, value });
      change = { kind, op: 'put', key, value } as Change;
    }
    this.append(change);
  }

  /** A pool's cost, kept when it changed; a deleted pool's history goes with it. */
  private recordCost(key: string, view: PoolView | undefined): void {
    if (view === undefined) {
      this.costs.forget(key);
      return;
    }
    const point = this.costs.record(key, view.hourlyCost ?? '0', this.now());
    if (point !== undefined) this.append({ kind: 'cost', op: 'append', key, value: point });
  }

  /** Logs a change for the next batch; before the watches synced, the snapshot has it already. */
  private append(change: Change): void {
    if (!this.synced) return;
    this.log.push({ seq: ++this.seq, change });
    if (this.log.length > this.retain) this.log.splice(0, this.log.length - this.retain);
    this.timer ??= setTimeout(() => {
      this.flush();
    }, this.batchMs);
  }

  private flush(): void {
    this.timer = undefined;
    const pending = this.log.filter((e) => e.seq > this.flushedSeq);
    this.flushedSeq = this.seq;
    if (pending.length === 0) return;
    const batch = this.batchOf(pending);
    for (const listener of this.listeners) listener(batch);
  }

  /**
   * The entries as one batch, every change in order: a Machine that failed and was deleted within
   * one window still shows as failed on the page, which renders once per frame anyway.
   */
  private batchOf(entries: readonly Entry[]): Batch {
    return { id: `${this.epoch}-${entries[entries.length - 1]?.seq ?? this.flushedSeq}`, changes: entries.map((e) => e.change) };
  }

  private seqOf(id: string | undefined): number | undefined {
    const m = /^([a-z0-9]+)-(\d+)$/.exec(id ?? '');
    if (m?.[1] !== this.epoch) return undefined;
    return Number(m[2]);
  }
}

function keyOf(object: { metadata: { namespace?: string | undefined; name: string } }): string {
  return `${object.metadata.namespace ?? 'default'}/${object.metadata.name}`;
}
