export { defaultIdentity, LeaseElector, type LeaseElectorOptions } from './lease-elector.js';
export { KubeLeaseClient, LeaseConflictError, type LeaseClient, type LeaseRecord, type VersionedLease } from './lease-client.js';
