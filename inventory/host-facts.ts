import type { Machine } from '../api/index.js';

/** What polyfleet knows of a host, as variables no group can override (Ansible's host vars). */
export interface HostFacts {
  readonly ansible_host: string;
  readonly polyfleet_provider: string;
  readonly polyfleet_account: string;
  readonly polyfleet_region: string;
  readonly polyfleet_zone: string;
  readonly polyfleet_instance_type: string;
  readonly polyfleet_instance_id: string;
  readonly polyfleet_pool: string;
  /** A decimal string in US dollars, as the Machine reports it; absent until it does. */
  readonly polyfleet_price_hourly?: string;
  readonly polyfleet_labels: Readonly<Record<string, string>>;
}

type MachineView = {
  readonly metadata: { readonly labels?: Readonly<Record<string, string>> | undefined };
  readonly spec: Pick<Machine['spec'], 'provider' | 'providerType' | 'region' | 'zone' | 'instanceType' | 'pool'>;
  readonly status?: { readonly instanceId?: string | undefined; readonly hourlyPrice?: string | undefined; readonly addresses?: readonly { readonly type: string; readonly address: string }[] | undefined } | undefined;
};

/** The address Ansible connects to: the public one, else the private one, else none. */
export function connectAddress(machine: MachineView): string | undefined {
  const addresses = machine.status?.addresses ?? [];
  return addresses.find((a) => a.type === 'ExternalIP')?.address ?? addresses.find((a) => a.type === 'InternalIP')?.address;
}

/** The Machine's facts, or undefined if it is no host yet: it has no instance or no address to reach it by. */
export function hostFacts(machine: MachineView): HostFacts | undefined {
  const instanceId = machine.status?.instanceId;
  const address = connectAddress(machine);
  if (instanceId === undefined || address === undefined) return undefined;
  const { spec } = machine;
  return {
    ansible_host: address,
    polyfleet_provider: spec.providerType,
    polyfleet_account: spec.provider,
    polyfleet_region: spec.region,
    polyfleet_zone: spec.zone,
    polyfleet_instance_type: spec.instanceType,
    polyfleet_instance_id: instanceId,
    polyfleet_pool: spec.pool,
    ...(machine.status?.hourlyPrice === undefined ? {} : { polyfleet_price_hourly: machine.status.hourlyPrice }),
    polyfleet_labels: { ...(machine.metadata.labels ?? {}) },
  };
}
