import type { EventSink } from '../../runtime/events/types.js';
import type { Logger } from '../../runtime/log.js';
import { openFileStore } from '../../runtime/store/file/index.js';
import type { Store } from '../../runtime/store/index.js';
import type { StoreLocation } from './store-flags.js';

export { describeLocation, STATE_FLAG_HELP, stateOption, storeLocation, type StoreLocation } from './store-flags.js';

/** What the standalone commands use of a store, whichever backend it is. */
export type StandaloneStore = Store & {
  /** The installation id, kept with the state; the managed-by tag of its instances. */
  readonly installationId: string;
  eventSink(): EventSink;
  /** Sees other processes' writes now rather than at the next notification. */
  refresh(): Promise<void>;
};

/** The one place the standalone commands open their store. `readOnly` only matters for a state file. */
export function openStandaloneStore(location: StoreLocation, readOnly: boolean, logger?: Logger): Promise<StandaloneStore> {
  // Loaded only for an etcd store: the etcd client is not a cost of every standalone command.
  if (location.kind === 'etcd') return import('../../runtime/store/etcd/etcd-store.js').then(({ openEtcdStore }) => openEtcdStore({ ...location.options, ...(logger === undefined ? {} : { logger }) }));
  return openFileStore({ path: location.path, readOnly, ...(readOnly ? { pollIntervalMs: 0 } : {}), ...(logger === undefined ? {} : { logger }) });
}

/** Opens the store for the length of `use`, then closes it, whatever `use` does. */
export async function withStore<T>(location: StoreLocation, readOnly: boolean, use: (store: StandaloneStore) => Promise<T>): Promise<T> {
  const store = await openStandaloneStore(location, readOnly);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}
