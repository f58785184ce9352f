import type { Machine, NodePool } from '../../api/index.js';
import { keyString, type Store, type Watch } from '../../runtime/store/index.js';
import { poolDeletedLine, poolProgressLine } from './pool-progress.js';

/**
 * Prints one line per pool whenever what the line says changes, from the store's own watches, so
 * it shows what any process (this one's controllers, another's apply) did to the state.
 */
export class ProgressPrinter {
  private readonly pools = new Map<string, NodePool>();
  /** Pool key → machine key → machine. */
  private readonly machines = new Map<string, Map<string, Machine>>();
  private readonly printed = new Map<string, string>();
  private readonly watches: Watch[];
  private synced = false;

  constructor(store: Store, private readonly print: (line: string) => void) {
    this.watches = [
      store.watch('NodePool', ({ type, object }) => {
        const key = keyString({ namespace: object.metadata.namespace ?? '', name: object.metadata.name });
        if (type === 'DELETED') this.pools.delete(key);
        else this.pools.set(key, object);
        this.refresh(key);
      }),
      store.watch('Machine', ({ type, object }) => {
        const pool = keyString({ namespace: object.metadata.namespace ?? '', name: object.spec.pool });
        const byName = this.machines.get(pool) ?? new Map<string, Machine>();
        if (type === 'DELETED') byName.delete(object.metadata.name);
        else byName.set(object.metadata.name, object);
        this.machines.set(pool, byName);
        this.refresh(pool);
      }),
    ];
    void Promise.all(this.watches.map((w) => w.synced)).then(() => {
      this.synced = true;
      for (const key of this.pools.keys()) this.refresh(key);
    });
  }

  stop(): void {
    for (const w of this.watches) w.stop();
  }

  private refresh(poolKey: string): void {
    if (!this.synced) return;
    const pool = this.pools.get(poolKey);
    const machines = [...(this.machines.get(poolKey)?.values() ?? [])];
    let line: string | undefined;
    if (pool !== undefined) line = poolProgressLine(pool, machines);
    else if (this.printed.has(poolKey)) line = poolDeletedLine(...splitKey(poolKey));
    if (line === undefined || this.printed.get(poolKey) === line) return;
    if (pool === undefined) this.printed.delete(poolKey);
    else this.printed.set(poolKey, line);
    this.print(line);
  }
}

function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}
