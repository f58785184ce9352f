import type { RegistryOptions } from '../../inventory/registry/registry-writer.js';
import type { Logger } from '../../runtime/log.js';
import type { Manager } from '../../runtime/manager/index.js';
import { isEtcdStoreUrl, parseEtcdStoreUrl } from '../../runtime/store/etcd/etcd-endpoints.js';
import { DEFAULT_ETCD_PREFIX } from '../../runtime/store/etcd/etcd-keys.js';
import type { Store } from '../../runtime/store/index.js';
import { UsageError } from './usage-error.js';

/** The help lines of the node registry's flags, the same in `run` and `controller`; `pad` is the column of the texts. */
export function registryFlagsHelp(pad = 24): string {
  const text = (line: string): string => `${''.padEnd(pad)}${line}`;
  return [
    '  --registry-etcd etcd://HOST:PORT[,HOST:PORT...]',
    text('publish every host (a Machine with an instance and an address) in this etcd (it'),
    text("may be the store's) while this process leads: <prefix>hosts/<namespace>/<name> as"),
    text('JSON, and <prefix>unclustered/<name> until a consumer deletes or moves it (claims it)'),
    '  --registry-etcd-prefix P, --registry-etcd-cacert FILE, --registry-etcd-cert FILE,',
    '  --registry-etcd-key FILE, --registry-etcd-user NAME',
    text(`the registry's key prefix (default ${DEFAULT_ETCD_PREFIX}), TLS material and user, as the`),
    text("store's --etcd-* flags; the password comes from $POLYFLEET_REGISTRY_ETCD_PASSWORD"),
    `  ${'--dns-domain DOMAIN'.padEnd(pad - 2)}also write DNS records for CoreDNS's etcd plugin (SkyDNS layout, under`,
    text('/skydns, TTL 30 s): <machine>.<pool>.<namespace>.DOMAIN resolves to a host,'),
    text('<pool>.<namespace>.DOMAIN to every host of the pool (needs --registry-etcd)'),
  ].join('\n');
}

export const registryOptions = {
  'registry-etcd': { type: 'string' },
  'registry-etcd-prefix': { type: 'string' },
  'registry-etcd-cacert': { type: 'string' },
  'registry-etcd-cert': { type: 'string' },
  'registry-etcd-key': { type: 'string' },
  'registry-etcd-user': { type: 'string' },
  'dns-domain': { type: 'string' },
} as const;

type RegistryFlags = { readonly [F in keyof typeof registryOptions]?: string | undefined };

const DEPENDENT = ['registry-etcd-prefix', 'registry-etcd-cacert', 'registry-etcd-cert', 'registry-etcd-key', 'registry-etcd-user', 'dns-domain'] as const;

/** The registry the flags ask for, or undefined; a UsageError names a flag that is wrong or alone. */
export function registryFlags(flags: RegistryFlags, env: NodeJS.ProcessEnv = process.env): RegistryOptions | undefined {
  const url = flags['registry-etcd'];
  if (url === undefined) {
    const stray = DEPENDENT.find((f) => flags[f] !== undefined);
    if (stray !== undefined) throw new UsageError(`--${stray} needs --registry-etcd etcd://HOST:PORT`);
    return undefined;
  }
  if (!isEtcdStoreUrl(url)) throw new UsageError(`--registry-etcd ${JSON.stringify(url)}: expected etcd://HOST:PORT[,HOST:PORT…]`);
  let endpoints: string[];
  try {
    endpoints = parseEtcdStoreUrl(url);
  } catch (e) {
    throw new UsageError((e as Error).message.replace('--store', '--registry-etcd'));
  }
  if ((flags['registry-etcd-cert'] === undefined) !== (flags['registry-etcd-key'] === undefined)) throw new UsageError('--registry-etcd-cert and --registry-etcd-key go together');
  const prefix = flags['registry-etcd-prefix'] ?? DEFAULT_ETCD_PREFIX;
  if (prefix === '') throw new UsageError('--registry-etcd-prefix must not be empty');
  const user = flags['registry-etcd-user'];
  if (user !== undefined && env.POLYFLEET_REGISTRY_ETCD_PASSWORD === undefined) throw new UsageError(`--registry-etcd-user ${user} needs the password in $POLYFLEET_REGISTRY_ETCD_PASSWORD`);
  const domain = flags['dns-domain'];
  if (domain !== undefined && !/^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.?$/.test(domain)) {
    throw new UsageError(`--dns-domain ${JSON.stringify(domain)}: not a DNS name (lowercase labels of letters, digits and "-", separated by dots)`);
  }
  return {
    endpoints,
    prefix,
    ...(flags['registry-etcd-cacert'] === undefined ? {} : { caFile: flags['registry-etcd-cacert'] }),
    ...(flags['registry-etcd-cert'] === undefined ? {} : { certFile: flags['registry-etcd-cert'] }),
    ...(flags['registry-etcd-key'] === undefined ? {} : { keyFile: flags['registry-etcd-key'] }),
    ...(user === undefined ? {} : { user: { name: user, password: env.POLYFLEET_REGISTRY_ETCD_PASSWORD ?? '' } }),
    ...(domain === undefined ? {} : { dnsDomain: domain }),
  };
}

/**
 * Registers the node registry's controller on `manager` (it writes only while the manager leads);
 * returns how to close its etcd client. Throws EtcdUnavailableError, naming the endpoints, if the
 * registry's etcd cannot be used. The registry module, and with it the etcd client, is
 * loaded only when a registry is asked for.
 */
export async function registerRegistry(manager: Pick<Manager, 'register'>, store: Store, options: RegistryOptions, log: Logger): Promise<() => void> {
  const { MachineNames, openRegistryWriter, registryController } = await import('../../inventory/registry/index.js');
  const writer = openRegistryWriter(options);
  try {
    // An etcd that cannot be reached or refuses the credentials fails the start, naming it, rather than every reconcile later.
    await writer.machinesWithKeys();
  } catch (e) {
    writer.close();
    throw e;
  }
  const names = new MachineNames(store);
  manager.register(registryController({ store, writer, names, log: log.child({ component: 'registry' }) }));
  return () => {
    names.stop();
    writer.close();
  };
}
