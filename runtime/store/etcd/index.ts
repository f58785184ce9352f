export { DEFAULT_ETCD_PREFIX } from './etcd-keys.js';
export { ETCD_STORE_SCHEME, isEtcdStoreUrl, parseEtcdStoreUrl } from './etcd-endpoints.js';
export { EtcdUnavailableError, ForeignDataError } from './etcd-errors.js';
export type { EtcdConnectionOptions } from './etcd-connection.js';
export { EtcdStore, openEtcdStore, type EtcdStoreOptions } from './etcd-store.js';
export { EtcdLeaseElector, type EtcdLeaseElectorOptions } from './lease-elector.js';
