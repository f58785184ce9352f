// Where one pool slot goes: CRUSH picks its failure domain, the Strategy's pick the offering in it.

import type { CompiledPlacement } from '../../placement/index.js';
import type { ResolvedOffering } from '../offerings/types.js';
import { domainPath, type SupportedLevel } from '../placementrule/index.js';
import { offeringPath } from '../shared/index.js';
import { DEFAULT_LEVELS, isWithin } from './domains.js';
import { pickOffering, type PickMode } from './pick.js';

export interface SlotPlacerInput {
  readonly poolUid: string;
  readonly pick: PickMode;
  /** The Strategy's offerings in rank order. */
  readonly offerings: readonly ResolvedOffering[];
  /** The PlacementRule's levels; DEFAULT_LEVELS without one. */
  readonly levels: readonly SupportedLevel[];
  /** Absent: no PlacementRule, every slot takes the single best usable offering. */
  readonly placement?: CompiledPlacement | undefined;
  /** The offering back-off: account, zone and instance-type paths marked out after errors. */
  readonly isOut: (path: string) => boolean;
}

export type SlotPlacement =
  | {
      readonly kind: 'placed';
      readonly slot: number;
      /** The CRUSH domain (at the rule's levels), or the offering's zone path without a rule. */
      readonly domain: string;
      readonly offering: ResolvedOffering;
      /** One line: the CRUSH short form and the pick. */
      readonly explanation: string;
    }
  | { readonly kind: 'unplaced'; readonly slot: number; readonly explanation: string };

/** Room an explanation has in status.plan and in an annotation a human reads. */
export const EXPLANATION_LIMIT = 1024;

export type SlotPlacer = (slot: number) => SlotPlacement;

/**
 * Domains without a usable offering are marked out once for the whole pool, so CRUSH's own retry
 * moves exactly the slots that mapped there and every other slot keeps its domain.
 */
export function createSlotPlacer(input: SlotPlacerInput): SlotPlacer {
  const usable = input.offerings.filter((o) => !input.isOut(offeringPath({ account: o.provider, region: o.region, zone: o.zone, instanceType: o.instanceType, capacityType: o.capacityType })));
  const { placement } = input;
  if (placement === undefined) return (slot) => placeWithoutRule(input, usable, slot);
  const usableDomains = new Set(usable.map((o) => domainPath(o, input.levels)));
  const out = new Set(placement.leaves.filter((leaf) => !usableDomains.has(leaf)));
  return (slot) => placeByRule(input, placement, usable, out, slot);
}

function placeWithoutRule(input: SlotPlacerInput, usable: readonly ResolvedOffering[], slot: number): SlotPlacement {
  const offering = pickOffering(usable, input.pick, input.poolUid, slot);
  if (offering === undefined) {
    return { kind: 'unplaced', slot, explanation: `slot ${slot}: no usable offering (${input.offerings.length} acceptable, all marked out or none)` };
  }
  const domain = domainPath(offering, DEFAULT_LEVELS);
  return { kind: 'placed', slot, domain, offering, explanation: cut(`slot ${slot}: no PlacementRule; ${pickText(input.pick, offering, usable.length, 'usable offerings')}`) };
}

function placeByRule(
  input: SlotPlacerInput,
  placement: CompiledPlacement,
  usable: readonly ResolvedOffering[],
  poolOut: ReadonlySet<string>,
  slot: number,
): SlotPlacement {
  const out = new Set(poolOut);
  // A rule may emit an inner bucket whose leaves are all out (CRUSH checks reweights of leaves only):
  // mark it out too and let CRUSH choose again, at most once per leaf.
  for (let tries = 0; tries <= placement.leaves.length; tries++) {
    const domain = placement.slotDomain(input.poolUid, slot, out);
    if (domain === undefined) break;
    const candidates = usable.filter((o) => isWithin(domainPath(o, input.levels), domain));
    const offering = pickOffering(candidates, input.pick, input.poolUid, slot);
    if (offering === undefined) {
      out.add(domain);
      continue;
    }
    const crush = placement.explainSlot(input.poolUid, slot, out).summary;
    return { kind: 'placed', slot, domain, offering, explanation: cut(`${crush}; ${pickText(input.pick, offering, candidates.length, `in ${domain}`)}`) };
  }
  const usableLeaves = placement.leaves.length - out.size;
  return {
    kind: 'unplaced',
    slot,
    explanation: cut(`slot ${slot}: CRUSH found no domain with a usable offering (${usableLeaves} of ${placement.leaves.length} domains usable)`),
  };
}

function pickText(pick: PickMode, offering: ResolvedOffering, among: number, where: string): string {
  return `picked ${offering.instanceType}${offering.capacityType === 'spot' ? ' (spot)' : ''} at $${offering.hourlyPrice}/h by ${pick} among ${among} ${where}`;
}

function cut(line: string): string {
  return line.length > EXPLANATION_LIMIT ? `${line.slice(0, EXPLANATION_LIMIT - 1)}…` : line;
}
