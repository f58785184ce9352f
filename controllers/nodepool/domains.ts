// Domain paths at a PlacementRule's levels beyond what placementrule/leaves.ts builds for offerings:
// the default levels, a Machine's domain, and inner-bucket matching.

import { SUPPORTED_LEVELS, type SupportedLevel } from '../placementrule/index.js';
import type { PoolMachine } from './pool-machines.js';

/** What a pool without a PlacementRule places by: every slot goes to one offering, named down to its zone. */
export const DEFAULT_LEVELS: readonly SupportedLevel[] = SUPPORTED_LEVELS;

/** The Machine's domain path at `levels`, from the place its spec names. */
export function machineDomain(machine: PoolMachine, levels: readonly SupportedLevel[]): string {
  return levels.map((level) => machine.spec[level]).join('/');
}

/** True if `path` is `domain` or lies below it (a rule may emit an inner bucket such as a region). */
export function isWithin(path: string, domain: string): boolean {
  return path === domain || path.startsWith(`${domain}/`);
}
