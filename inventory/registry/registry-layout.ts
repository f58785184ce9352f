import type { ObjectKey } from '../../runtime/store/index.js';

/**
 * Where the node registry writes, relative to its prefix (default "/polyfleet/"):
 * - `hosts/<namespace>/<name>`: every live host, as RegistryHost JSON;
 * - `unclustered/<name>`: offstrategy's layout, the same JSON, until a consumer deletes (or moves)
 *   it: then the consumer has claimed the node. A Machine whose name another namespace also uses
 *   when it is first offered goes under `unclustered/<namespace>/<name>` instead (a name never
 *   holds "/"), and stays there: one node never passes for another;
 * - `registered/<namespace>/<name>`: the registry's own memory of what it wrote for a Machine (its
 *   UID, the `unclustered/` key it was offered under, its DNS key), written in the same transaction
 *   as those keys: a claim is remembered across restarts and never undone while that Machine
 *   lives, and a gone Machine's keys are found without the Machine.
 */
export const HOSTS_PREFIX = 'hosts/';
export const UNCLUSTERED_PREFIX = 'unclustered/';
export const REGISTERED_PREFIX = 'registered/';

export function hostKey(key: ObjectKey): string {
  return `${HOSTS_PREFIX}${key.namespace}/${key.name}`;
}

/** `unclustered/<name>`, or `unclustered/<namespace>/<name>` for a name used in several namespaces. */
export function unclusteredKey(key: ObjectKey, nameShared = false): string {
  return nameShared ? `${UNCLUSTERED_PREFIX}${key.namespace}/${key.name}` : `${UNCLUSTERED_PREFIX}${key.name}`;
}

export function registeredKey(key: ObjectKey): string {
  return `${REGISTERED_PREFIX}${key.namespace}/${key.name}`;
}

/** The Machine a `hosts/` or `registered/` key is about; undefined for any other key. */
export function machineOfKey(key: string): ObjectKey | undefined {
  const rest = key.startsWith(HOSTS_PREFIX) ? key.slice(HOSTS_PREFIX.length) : key.startsWith(REGISTERED_PREFIX) ? key.slice(REGISTERED_PREFIX.length) : undefined;
  const [namespace, name, ...more] = rest?.split('/') ?? [];
  return namespace === undefined || name === undefined || more.length > 0 ? undefined : { namespace, name };
}

/** The root of CoreDNS's etcd plugin (its `path`, default /skydns). */
export const SKYDNS_ROOT = '/skydns';
const DNS_NAME = /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * The SkyDNS directory of a domain, labels reversed: "fleet.local" → "/skydns/local/fleet/". Throws,
 * naming the flag and value, for what is not a lowercase DNS name.
 */
export function dnsRoot(domain: string): string {
  const name = domain.replace(/\.$/, '');
  if (!DNS_NAME.test(name)) throw new Error(`--dns-domain ${JSON.stringify(domain)}: not a DNS name (lowercase labels of letters, digits and "-", separated by dots)`);
  return `${SKYDNS_ROOT}/${name.split('.').reverse().join('/')}/`;
}

/** `<root><namespace>/<pool>/<machine>`: `<machine>.<pool>.<namespace>.<domain>` resolves to it, `<pool>.<namespace>.<domain>` to the pool's. */
export function dnsKey(root: string, namespace: string, pool: string, machine: string): string {
  return `${root}${namespace}/${pool}/${machine}`;
}
