import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';

/** A spot instance the cloud reclaimed, as its Machine records it. */
export interface SpotInterruption {
  /** The cloud: aws, gcp, sim. */
  readonly provider: string;
  /** The Strategy's name for the account. */
  readonly account: string;
  readonly region: string;
  readonly instanceType: string;
}

/** What the Machine controller reports, free of any metrics library. */
export interface MachineMetrics {
  spotInterrupted(i: SpotInterruption): void;
}

export const noMachineMetrics: MachineMetrics = { spotInterrupted() {} };

/** polyfleet_spot_interruptions_total{provider,account,region,instance_type}: spot instances reclaimed by their cloud. */
export function registerMachineMetrics(registry: Registry): MachineMetrics {
  const counter = new Counter({
    name: 'polyfleet_spot_interruptions_total',
    help: 'Spot instances their cloud reclaimed (EC2 Server.SpotInstanceTermination, a preempted Compute Engine VM, the sim); each Machine is replaced.',
    labelNames: ['provider', 'account', 'region', 'instance_type'],
    registers: [registry],
  });
  return {
    spotInterrupted(i) {
      counter.inc({ provider: i.provider, account: i.account, region: i.region, instance_type: i.instanceType });
    },
  };
}
