import type { Machine, RegistryHost, SkyDnsRecord } from '../../api/index.js';
import type { ReadonlyDeep } from '../../runtime/store/index.js';
import { connectAddress } from '../host-facts.js';

/** The registry's record of a Machine, or undefined if it is no host: deleting, or without an instance or an address. */
export function registryHost(machine: ReadonlyDeep<Machine>): RegistryHost | undefined {
  const instanceId = machine.status?.instanceId;
  const addresses = machine.status?.addresses ?? [];
  if (machine.metadata.deletionTimestamp !== undefined || instanceId === undefined || addresses.length === 0) return undefined;
  const { spec } = machine;
  return {
    name: machine.metadata.name,
    namespace: machine.metadata.namespace ?? 'default',
    uid: machine.metadata.uid ?? '',
    addresses: addresses.map((a) => ({ type: a.type, address: a.address })),
    provider: spec.providerType,
    account: spec.provider,
    region: spec.region,
    zone: spec.zone,
    instanceType: spec.instanceType,
    instanceId,
    pool: spec.pool,
    labels: { ...(machine.metadata.labels ?? {}) },
    ...(machine.status?.phase === undefined ? {} : { phase: machine.status.phase }),
  };
}

/** The DNS record of a host: its public address, else its private one (as Ansible connects); undefined if it has only a Hostname. */
export function dnsRecord(machine: ReadonlyDeep<Machine>, ttlSeconds: number): SkyDnsRecord | undefined {
  const address = connectAddress(machine);
  return address === undefined ? undefined : { host: address, ttl: ttlSeconds };
}
