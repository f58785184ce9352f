export { MachineNames } from './machine-names.js';
export { registryController, REGISTRY_SWEEP_MS, type RegistryControllerOptions } from './registry-controller.js';
export { DEFAULT_DNS_TTL_SECONDS, openRegistryWriter, RegistryRaceError, RegistryWriter, type RegistryOptions } from './registry-writer.js';
export { dnsKey, dnsRoot, HOSTS_PREFIX, hostKey, REGISTERED_PREFIX, registeredKey, SKYDNS_ROOT, UNCLUSTERED_PREFIX, unclusteredKey } from './registry-layout.js';
