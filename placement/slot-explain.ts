// Why a pool slot landed in its domain: the group's full CRUSH trace, and one line short
// enough for Machine.status.placement.

import type { DomainTree } from './domain-tree.js';
import type { Explanation, Placement } from './explain.js';
import { explainMapping } from './explain.js';
import { formatExplanation } from './explain-text.js';
import type { Mapper } from './mapper.js';
import { slotGroupInput } from './slot-input.js';

export interface SlotExplanation {
  readonly slot: number;
  readonly group: number;
  readonly position: number;
  /** The CRUSH input of the slot's group. */
  readonly x: number;
  readonly domain: string | undefined;
  /** The whole group's mapping. */
  readonly explanation: Explanation;
  /** One line, at most SUMMARY_LIMIT characters. */
  readonly summary: string;
  readonly text: string;
}

export const SUMMARY_LIMIT = 2048;

export interface SlotContext {
  readonly mapper: Mapper;
  readonly tree: DomainTree;
  readonly groupSize: number;
  readonly ruleId: number;
}

export function explainSlot(ctx: SlotContext, poolUid: string, slot: number, reweights: readonly number[]): SlotExplanation {
  const group = Math.floor(slot / ctx.groupSize);
  const position = slot % ctx.groupSize;
  const x = slotGroupInput(poolUid, group);
  const explanation = explainMapping(ctx.mapper, ctx.ruleId, x, ctx.groupSize, reweights);
  const item = explanation.result[position];
  const domain = item === undefined ? undefined : ctx.tree.pathOf.get(item);
  const chain = item === undefined ? [] : chainTo(explanation, item);
  const head = `slot ${slot} (group ${group}, position ${position}, x=${x})`;
  let summary: string;
  if (domain === undefined) {
    summary = `${head}: no domain, the rule placed ${explanation.result.length} of ${ctx.groupSize} in this group`;
  } else {
    const retries = chain.reduce((n, p) => n + p.retries, 0);
    const path = joinPaths(chain).filter((name) => !name.endsWith('#device'));
    const tail = retries === 0 ? '' : ` after ${retries} ${retries === 1 ? 'retry' : 'retries'}`;
    summary = `${head}: ${domain} via ${path.join(' > ')}${tail}`;
  }
  return {
    slot,
    group,
    position,
    x,
    domain,
    explanation,
    summary: summary.length > SUMMARY_LIMIT ? `${summary.slice(0, SUMMARY_LIMIT - 1)}…` : summary,
    text: formatExplanation(explanation),
  };
}

/** The placements that led to `item`: its own in the last step, then the one before each. */
function chainTo(e: Explanation, item: number): Placement[] {
  const last = [...e.placements].reverse().find((p) => (p.leaf ?? p.item) === item);
  if (!last) return [];
  const chain = [last];
  for (;;) {
    const first = chain[0]?.path[0];
    const step = chain[0]?.step ?? 0;
    const before = e.placements.find((p) => p.step < step && p.path[p.path.length - 1] === first);
    if (!before) return chain;
    chain.unshift(before);
  }
}

function joinPaths(chain: readonly Placement[]): string[] {
  return chain.reduce<string[]>((names, p) => (names.length === 0 ? [...p.path] : [...names, ...p.path.slice(1)]), []);
}
