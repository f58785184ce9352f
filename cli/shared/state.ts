import type { EventSink } from '../../runtime/events/types.js';
import type { Logger } from '../../runtime/log.js';
import { isEtcdStoreUrl, parseEtcdStoreUrl } from '../../runtime/store/etcd/etcd-endpoints.js';
import { DEFAULT_ETCD_PREFIX } from '../../runtime/store/etcd/etcd-keys.js';
import type { EtcdStoreOptions } from '../../runtime/store/etcd/etcd-store.js';
import { DEFAULT_STATE_PATH, openFileStore } from '../../runtime/store/file/index.js';
import type { Store } from '../../runtime/store/index.js';
import { UsageError } from './usage-error.js';

/** The help lines of the flags that choose the store, the same in every standalone command. */
export const STATE_FLAG_HELP = `  --state FILE          the state file (default ${DEFAULT_STATE_PATH}, relative to the working directory);
                        safe to share with a running \`polyfleet run\`
  --store etcd://HOST:PORT[,HOST:PORT...]
                        keep the state in etcd instead (shared by every polyfleet process pointed at
                        it, on any machine); --store FILE is the same as --state FILE
  --etcd-prefix P       the etcd key prefix of this installation (default ${DEFAULT_ETCD_PREFIX})
  --etcd-cacert FILE    CA bundle (PEM) of etcd's serving certificates; switches to https
  --etcd-cert FILE      client certificate (PEM), with --etcd-key, for etcd's --client-cert-auth
  --etcd-key FILE
  --etcd-user NAME      etcd user; the password comes from $POLYFLEET_ETCD_PASSWORD`;

export const stateOption = {
  state: { type: 'string' },
  store: { type: 'string' },
  'etcd-prefix': { type: 'string' },
  'etcd-cacert': { type: 'string' },
  'etcd-cert': { type: 'string' },
  'etcd-key': { type: 'string' },
  'etcd-user': { type: 'string' },
} as const;

interface StoreFlags {
  readonly state?: string | undefined;
  readonly store?: string | undefined;
  readonly 'etcd-prefix'?: string | undefined;
  readonly 'etcd-cacert'?: string | undefined;
  readonly 'etcd-cert'?: string | undefined;
  readonly 'etcd-key'?: string | undefined;
  readonly 'etcd-user'?: string | undefined;
}

/** Where a standalone command keeps its objects: a local state file, or etcd. */
export type StoreLocation =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'etcd'; readonly options: Omit<EtcdStoreOptions, 'logger'> };

/** What the standalone commands use of a store, whichever backend it is. */
export type StandaloneStore = Store & {
  /** The installation id, kept with the state; the managed-by tag of its instances. */
  readonly installationId: string;
  eventSink(): EventSink;
  /** Sees other processes' writes now rather than at the next notification. */
  refresh(): Promise<void>;
};

const ETCD_FLAGS = ['etcd-prefix', 'etcd-cacert', 'etcd-cert', 'etcd-key', 'etcd-user'] as const;

/** The store the flags name; a UsageError for flags that contradict each other. */
export function storeLocation(flags: StoreFlags, env: NodeJS.ProcessEnv = process.env): StoreLocation {
  if (flags.state !== undefined && flags.store !== undefined) throw new UsageError('--state and --store both name the store; pass one');
  const store = flags.store ?? flags.state ?? DEFAULT_STATE_PATH;
  if (!isEtcdStoreUrl(store)) {
    const stray = ETCD_FLAGS.find((f) => flags[f] !== undefined);
    if (stray !== undefined) throw new UsageError(`--${stray} is for an etcd store; pass --store etcd://HOST:PORT too`);
    return { kind: 'file', path: store };
  }
  let endpoints: string[];
  try {
    endpoints = parseEtcdStoreUrl(store);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if ((flags['etcd-cert'] === undefined) !== (flags['etcd-key'] === undefined)) throw new UsageError('--etcd-cert and --etcd-key go together');
  const user = flags['etcd-user'];
  if (user !== undefined && env.POLYFLEET_ETCD_PASSWORD === undefined) throw new UsageError(`--etcd-user ${user} needs the password in $POLYFLEET_ETCD_PASSWORD`);
  return {
    kind: 'etcd',
    options: {
      endpoints,
      ...(flags['etcd-prefix'] === undefined ? {} : { prefix: flags['etcd-prefix'] }),
      ...(flags['etcd-cacert'] === undefined ? {} : { caFile: flags['etcd-cacert'] }),
      ...(flags['etcd-cert'] === undefined ? {} : { certFile: flags['etcd-cert'] }),
      ...(flags['etcd-key'] === undefined ? {} : { keyFile: flags['etcd-key'] }),
      ...(user === undefined ? {} : { user: { name: user, password: env.POLYFLEET_ETCD_PASSWORD ?? '' } }),
    },
  };
}

/** "state .polyfleet/state.jsonl" or "store etcd://127.0.0.1:2379 prefix /polyfleet/", for messages. */
export function describeLocation(location: StoreLocation): string {
  if (location.kind === 'file') return `state ${location.path}`;
  return `store etcd://${location.options.endpoints.join(',')} prefix ${location.options.prefix ?? DEFAULT_ETCD_PREFIX}`;
}

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
