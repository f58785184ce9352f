import type { Instance as Ec2Instance, Tag } from '@aws-sdk/client-ec2';
import type { Instance, InstanceAddress, InstanceState } from '../types.js';
import { stableMessage } from './classify.js';

/** EC2 instance states as ours: shutting-down follows a terminate; stopping and stopped exist, bill, and need a delete. */
const STATES: Readonly<Record<string, InstanceState>> = {
  pending: 'pending',
  running: 'running',
  'shutting-down': 'terminating',
  stopping: 'stopping',
  stopped: 'stopped',
  terminated: 'terminated',
};

/** States whose reason EC2 gives and a human wants (why it stopped: a user, a retirement, a spot interruption). */
const EXPLAINED: readonly InstanceState[] = ['failed', 'stopping', 'stopped', 'terminating', 'terminated'];

export function tagsOf(tags: readonly Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

function addressesOf(i: Ec2Instance): InstanceAddress[] {
  return [
    ...(i.PrivateIpAddress ? [{ type: 'InternalIP' as const, address: i.PrivateIpAddress }] : []),
    ...(i.PublicIpAddress ? [{ type: 'ExternalIP' as const, address: i.PublicIpAddress }] : []),
    ...(i.PrivateDnsName ? [{ type: 'Hostname' as const, address: i.PrivateDnsName }] : []),
  ];
}

export interface InstanceContext {
  readonly account: string;
  readonly region: string;
  /** The hourly price of the instance's type in its region, as offerings() shows it. */
  readonly priceOf: (instanceType: string) => string;
  /** A spot instance's hourly price: its type's spot price in its zone (0 when unknown). */
  readonly spotPriceOf: (instanceType: string, zone: string) => string;
}

/** EC2's state reason of a spot instance it interrupted (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_StateReason.html). */
export const SPOT_INTERRUPTION = 'Server.SpotInstanceTermination';

/** Our Instance for an EC2 one; undefined for a reply without an id (never seen, but typed optional). */
export function toInstance(i: Ec2Instance, ctx: InstanceContext): Instance | undefined {
  if (i.InstanceId === undefined) return undefined;
  const state = STATES[i.State?.Name ?? ''] ?? 'pending';
  // StateTransitionReason stamps the time ("User initiated (2026-01-01 10:00:00 GMT)"): a Machine's condition would change on every read.
  const raw = i.StateReason?.Message ?? i.StateTransitionReason;
  const reason = raw === undefined ? undefined : stableMessage(raw).replace(/\s*\(…\)/g, '').trim();
  const instanceType = i.InstanceType ?? '';
  const zone = i.Placement?.AvailabilityZone ?? '';
  const spot = i.InstanceLifecycle === 'spot';
  return {
    id: i.InstanceId,
    account: ctx.account,
    region: ctx.region,
    zone,
    instanceType,
    state,
    ...(EXPLAINED.includes(state) && reason ? { stateReason: reason } : {}),
    addresses: addressesOf(i),
    tags: tagsOf(i.Tags),
    createdAt: (i.LaunchTime ?? new Date(0)).toISOString(),
    hourlyPrice: spot ? ctx.spotPriceOf(instanceType, zone) : ctx.priceOf(instanceType),
    ...(spot ? { capacityType: 'spot' as const } : {}),
    ...(i.StateReason?.Code === SPOT_INTERRUPTION ? { reclaimed: true } : {}),
  };
}
