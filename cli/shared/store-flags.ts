import { isEtcdStoreUrl, parseEtcdStoreUrl } from '../../runtime/store/etcd/etcd-endpoints.js';
import { DEFAULT_ETCD_PREFIX } from '../../runtime/store/etcd/etcd-keys.js';
import type { EtcdStoreOptions } from '../../runtime/store/etcd/etcd-store.js';
import { DEFAULT_STATE_PATH } from '../../runtime/store/file/state-path.js';
import { UsageError } from './usage-error.js';

// The store flags apart from opening a store (state.ts): a command that reads the state file
// itself (`polyfleet inventory --list`) parses them without loading the store and its logger.

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

