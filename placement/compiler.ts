// The placement compiler (docs/architecture.md "The placement compiler"): leaf failure domains
// and a PlacementRule become a CRUSH map and rule; pool slot i maps to result[i mod groupSize] of
// x = slotGroupInput(poolUid, floor(i / groupSize)).
//
// Leaves the caller marks out (errors, budget) get reweight 0, so CRUSH's own retry moves
// only the slots that were there. Drained leaves (weight 0) are out as well: straw2 still
// returns a zero-weight item when all its siblings weigh 0, and a drained domain must never
// receive a node.

import type { CrushMap } from './crush-map.js';
import { ITEM_NONE, OPTIMAL_TUNABLES, WEIGHT_ONE } from './crush-map.js';
import { compileSteps } from './compile-steps.js';
import type { DomainTree } from './domain-tree.js';
import { buildDomainTree } from './domain-tree.js';
import type { Mapper } from './mapper.js';
import { createMapper } from './mapper.js';
import type { PlacementSpec } from './placement-spec.js';
import { checkSpec } from './placement-spec.js';
import { slotGroupInput } from './slot-input.js';
import type { SlotExplanation } from './slot-explain.js';
import { explainSlot } from './slot-explain.js';

export const PLACEMENT_RULE_ID = 0;

export interface CompiledPlacement {
  readonly map: CrushMap;
  readonly mapper: Mapper;
  readonly groupSize: number;
  /** Leaf domain paths, sorted. */
  readonly leaves: readonly string[];
  /**
   * The domain of pool slot `slot`: a leaf path (or the path of the bucket the rule emits),
   * undefined when the rule placed nothing there. `out` holds leaf or inner domain paths to
   * avoid; unknown paths are ignored.
   */
  slotDomain(poolUid: string, slot: number, out?: ReadonlySet<string>): string | undefined;
  /** The domains of slots 0 … slotCount−1, each group mapped once. */
  slotDomains(poolUid: string, slotCount: number, out?: ReadonlySet<string>): (string | undefined)[];
  /** All positions of one group. */
  groupDomains(poolUid: string, group: number, out?: ReadonlySet<string>): (string | undefined)[];
  /** Why the slot is where it is, in full and in one line for Machine.status. */
  explainSlot(poolUid: string, slot: number, out?: ReadonlySet<string>): SlotExplanation;
}

/** Throws PlacementSpecError (spec) or CrushMapError (resulting map, e.g. weight overflow). */
export function compilePlacement(spec: PlacementSpec): CompiledPlacement {
  checkSpec(spec);
  const tree = buildDomainTree(spec.levels, spec.leaves);
  const map: CrushMap = {
    name: 'placement',
    tunables: OPTIMAL_TUNABLES,
    types: tree.types,
    devices: tree.devices,
    buckets: tree.buckets,
    rules: [{ id: PLACEMENT_RULE_ID, name: 'placement', steps: compileSteps(spec.steps, spec.levels, tree) }],
  };
  const mapper = createMapper(map);
  const { groupSize } = spec;
  const drained = new Set(spec.leaves.filter((l) => l.weight === 0).map((l) => l.path));
  const result = new Int32Array(groupSize);
  const mapGroup = (poolUid: string, group: number, reweights: readonly number[]) => {
    const n = mapper.doRule(PLACEMENT_RULE_ID, slotGroupInput(poolUid, group), groupSize, result, reweights);
    return Array.from({ length: groupSize }, (_, i) => (i < n ? domainOf(tree, result[i] ?? ITEM_NONE) : undefined));
  };
  return {
    map,
    mapper,
    groupSize,
    leaves: [...tree.deviceOf.keys()],
    groupDomains: (poolUid, group, out) => mapGroup(poolUid, group, reweightsFor(tree, drained, out)),
    slotDomain: (poolUid, slot, out) => mapGroup(poolUid, groupOf(slot, groupSize), reweightsFor(tree, drained, out))[slot % groupSize],
    slotDomains: (poolUid, slotCount, out) => {
      const reweights = reweightsFor(tree, drained, out);
      const groups = Math.ceil(slotCount / groupSize);
      return Array.from({ length: groups }, (_, g) => mapGroup(poolUid, g, reweights)).flat().slice(0, slotCount);
    },
    explainSlot: (poolUid, slot, out) => {
      groupOf(slot, groupSize);
      return explainSlot({ mapper, tree, groupSize, ruleId: PLACEMENT_RULE_ID }, poolUid, slot, reweightsFor(tree, drained, out));
    },
  };
}

function groupOf(slot: number, groupSize: number): number {
  if (!Number.isSafeInteger(slot) || slot < 0) throw new RangeError(`slot must be a non-negative integer, got ${slot}`);
  return Math.floor(slot / groupSize);
}

/** Ceph's reweight vector: 0x10000 in, 0 out, by device id. */
function reweightsFor(tree: DomainTree, drained: ReadonlySet<string>, out: ReadonlySet<string> | undefined): number[] {
  const reweights = new Array<number>(tree.deviceOf.size).fill(WEIGHT_ONE);
  if (drained.size === 0 && (out === undefined || out.size === 0)) return reweights;
  const outPaths = [...(out ?? [])];
  for (const [path, device] of tree.deviceOf) {
    const isOut = drained.has(path) || outPaths.some((p) => path === p || path.startsWith(`${p}/`));
    if (isOut) reweights[device] = 0;
  }
  return reweights;
}

export function domainOf(tree: DomainTree, item: number): string | undefined {
  return item === ITEM_NONE ? undefined : tree.pathOf.get(item);
}
