export { defaultIdentity, LeaseElector, type LeaseElectorOptions } from './lease-elector.js';
export { KubeLeaseClient, LeaseConflictError, type LeaseClient, type LeaseRecord, type VersionedLease } from './lease-client.js';
export { DEFAULT_LEASE_SECONDS, leaseTiming, MIN_LEASE_SECONDS, type LeaseTiming } from './lease-timing.js';
