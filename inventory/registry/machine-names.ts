import type { Store, Watch } from '../../runtime/store/index.js';

/**
 * Which Machine names are used in more than one namespace, kept from a watch of every Machine: a
 * name that is shared cannot be offered under `unclustered/<name>` without one node passing for another.
 */
export class MachineNames {
  private readonly namespaces = new Map<string, Set<string>>();
  private readonly watch: Watch;

  constructor(store: Store) {
    this.watch = store.watch('Machine', (e) => {
      const { name, namespace = 'default' } = e.object.metadata;
      const set = this.namespaces.get(name) ?? new Set<string>();
      if (e.type === 'DELETED') set.delete(namespace);
      else set.add(namespace);
      if (set.size === 0) this.namespaces.delete(name);
      else this.namespaces.set(name, set);
    });
  }

  /** Resolves once every Machine that existed at the start has been seen. */
  get synced(): Promise<void> {
    return this.watch.synced;
  }

  /** True if a Machine of this name lives in another namespace too. */
  shared(name: string, namespace: string): boolean {
    return [...(this.namespaces.get(name) ?? [])].some((ns) => ns !== namespace);
  }

  stop(): void {
    this.watch.stop();
  }
}
