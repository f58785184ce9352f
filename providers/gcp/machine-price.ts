import { nanosText, rateKey } from './billing-skus.js';
import type { CapacityKind } from './billing-skus.js';
import type { MachineTypeFields } from './machine-types.js';

/**
 * The vCPUs a shared-core E2 type is billed for: a fraction of its two guest CPUs
 * (https://cloud.google.com/compute/docs/general-purpose-machines#sharedcore).
 */
const SHARED_CORE_VCPUS: Readonly<Record<string, readonly [numerator: bigint, denominator: bigint]>> = {
  'e2-micro': [1n, 4n],
  'e2-small': [1n, 2n],
  'e2-medium': [1n, 1n],
};

/** "0.021811" → 21811000 billionths; rates have at most nine decimals (the catalog's nanos). */
function toNanos(rate: string): bigint {
  const match = /^(\d+)(?:\.(\d{1,9}))?$/.exec(rate);
  if (match === null) throw new Error(`not a rate: ${JSON.stringify(rate)}`);
  return BigInt(match[1] ?? '0') * 1_000_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/**
 * The hourly USD price of `type` from a region's rates (billing-skus.ts): vCPUs × the family's
 * core rate + GiB × its memory rate + GPUs × the GPU's rate, rounded half up to the micro-dollar
 * (money's precision). Undefined when a rate it needs is missing: such a type cannot be budgeted.
 */
export function machinePrice(rates: Readonly<Record<string, string>>, type: MachineTypeFields, kind: CapacityKind): string | undefined {
  if (!type.name || !type.guestCpus || !type.memoryMb) return undefined;
  const family = type.name.split('-')[0] ?? '';
  const core = rates[rateKey('core', family, kind)];
  const ram = rates[rateKey('ram', family, kind)];
  if (core === undefined || ram === undefined) return undefined;
  const [num, den] = SHARED_CORE_VCPUS[type.name] ?? [BigInt(type.guestCpus), 1n];
  // Exact in billionths × den × 1024 (MiB), then rounded once.
  const scale = den * 1024n;
  let total = toNanos(core) * num * 1024n + toNanos(ram) * BigInt(type.memoryMb) * den;
  for (const a of type.accelerators ?? []) {
    const count = a.guestAcceleratorCount ?? 0;
    if (count === 0) continue;
    const gpu = a.guestAcceleratorType === undefined || a.guestAcceleratorType === null ? undefined : rates[rateKey('gpu', a.guestAcceleratorType, kind)];
    if (gpu === undefined) return undefined;
    total += toNanos(gpu) * BigInt(count) * scale;
  }
  const micros = (total + (scale * 1000n) / 2n) / (scale * 1000n);
  return nanosText(micros * 1000n);
}

/** Machine type → hourly price of every type `rates` can price. */
export function machinePrices(rates: Readonly<Record<string, string>>, types: readonly MachineTypeFields[], kind: CapacityKind): Record<string, string> {
  const prices: Record<string, string> = {};
  for (const type of types) {
    const price = machinePrice(rates, type, kind);
    if (price !== undefined && type.name) prices[type.name] = price;
  }
  return prices;
}
