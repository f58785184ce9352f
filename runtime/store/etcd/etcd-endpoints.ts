/** The scheme `--store` takes for etcd: `etcd://HOST:PORT[,HOST:PORT…]`. */
export const ETCD_STORE_SCHEME = 'etcd://';

export function isEtcdStoreUrl(value: string): boolean {
  return value.startsWith(ETCD_STORE_SCHEME);
}

/**
 * The members of `etcd://HOST:PORT[,HOST:PORT…]` as `HOST:PORT` strings. Throws, naming the value,
 * for anything else: a missing port, an empty member, a path.
 */
export function parseEtcdStoreUrl(value: string): string[] {
  if (!isEtcdStoreUrl(value)) throw new Error(`--store ${JSON.stringify(value)}: an etcd store is etcd://HOST:PORT[,HOST:PORT…]`);
  const members = value.slice(ETCD_STORE_SCHEME.length).replace(/\/$/, '').split(',');
  for (const member of members) {
    if (!/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(member)) {
      throw new Error(`--store ${JSON.stringify(value)}: ${JSON.stringify(member)} is not HOST:PORT (etcd://HOST:PORT[,HOST:PORT…])`);
    }
  }
  return members;
}
