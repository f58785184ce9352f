// Why x went where it did: the full trace of one mapping as structured data, with names and
// every straw2 draw spelled out. Runs the same code as doRule with a recording tracer; the
// draws are recomputed from (bucket, r), so the fast path carries none of this.

import type { CrushBucket, CrushMap } from './crush-map.js';
import { ITEM_NONE } from './crush-map.js';
import { itemName, stepText } from './map-text.js';
import type { Mapper } from './mapper.js';
import { straw2Draw } from './straw2.js';
import type { TraceEvent } from './trace.js';

export interface ExplainedDraw {
  readonly item: number;
  readonly name: string;
  readonly weight: number;
  readonly u: number;
  /** null for a zero weight (C's S64_MIN): it can only win when every weight is 0. */
  readonly draw: number | null;
}

/** One straw2 choice, or one verdict on the chosen item; depth 1 = chooseleaf's leaf search. */
export type ExplainedEvent =
  | {
      readonly kind: 'draw';
      readonly depth: number;
      readonly bucket: number;
      readonly bucketName: string;
      readonly r: number;
      readonly draws: readonly ExplainedDraw[];
      readonly chosen: number;
      readonly chosenName: string;
    }
  | (Exclude<TraceEvent, { kind: 'draw' | 'stepStart' | 'stepEnd' }> & { readonly name: string });

export interface ExplainedStep {
  /** From 0, in rule order. */
  readonly index: number;
  readonly text: string;
  readonly input: readonly number[];
  readonly output: readonly number[];
  readonly outputNames: readonly string[];
  readonly events: readonly ExplainedEvent[];
}

/** A placed item with the buckets its winning descent went through. */
export interface Placement {
  readonly step: number;
  readonly rep: number;
  readonly item: number;
  /** chooseleaf: the device found under `item`. */
  readonly leaf?: number;
  readonly path: readonly string[];
  /** Failed tries before this one (collisions and rejections). */
  readonly retries: number;
}

export interface Explanation {
  readonly map: string;
  readonly rule: { readonly id: number; readonly name: string };
  readonly x: number;
  readonly resultMax: number;
  readonly steps: readonly ExplainedStep[];
  readonly placements: readonly Placement[];
  readonly result: readonly number[];
  readonly resultNames: readonly string[];
}

export function explainMapping(
  mapper: Mapper,
  ruleId: number,
  x: number,
  resultMax: number,
  reweights?: ArrayLike<number>,
): Explanation {
  const events: TraceEvent[] = [];
  const result = mapper.trace(ruleId, x, resultMax, { record: (e) => events.push(e) }, reweights);
  const map = mapper.map;
  const rule = map.rules.find((r) => r.id === ruleId);
  const buckets = new Map(map.buckets.map((b) => [b.id, b]));
  const steps: ExplainedStep[] = [];
  let current: { index: number; input: readonly number[]; events: ExplainedEvent[] } | undefined;
  for (const event of events) {
    if (event.kind === 'stepStart') current = { index: event.step, input: event.input, events: [] };
    else if (event.kind === 'stepEnd' && current) {
      const step = rule?.steps[current.index];
      const outputNames = event.output.map((id) => itemName(map, id));
      steps.push({ ...current, text: step ? stepText(map, step) : '?', output: event.output, outputNames });
    } else if (current && event.kind !== 'stepEnd') {
      current.events.push(explainEvent(map, buckets, x >>> 0, event));
    }
  }
  return {
    map: map.name,
    rule: { id: ruleId, name: rule?.name ?? '' },
    x: x >>> 0,
    resultMax,
    steps,
    placements: steps.flatMap(placementsOf),
    result,
    resultNames: result.map((id) => itemName(map, id)),
  };
}

function explainEvent(
  map: CrushMap,
  buckets: ReadonlyMap<number, CrushBucket>,
  x: number,
  event: Exclude<TraceEvent, { kind: 'stepStart' | 'stepEnd' }>,
): ExplainedEvent {
  if (event.kind !== 'draw') {
    const subject = event.kind === 'giveUp' || event.kind === 'hole' ? ITEM_NONE : event.item;
    return { ...event, name: itemName(map, subject) };
  }
  const draws = (buckets.get(event.bucket)?.items ?? []).map((item): ExplainedDraw => {
    const d = straw2Draw(x, item.hashId ?? item.id, event.r, item.weight);
    return { item: item.id, name: itemName(map, item.id), weight: item.weight, u: d.u, draw: item.weight === 0 ? null : d.draw };
  });
  return {
    kind: 'draw',
    depth: event.depth,
    bucket: event.bucket,
    bucketName: itemName(map, event.bucket),
    r: event.r,
    draws,
    chosen: event.item,
    chosenName: itemName(map, event.item),
  };
}

/** Each accept at depth 0 with the draws since the previous verdict at that depth. */
function placementsOf(step: ExplainedStep): Placement[] {
  const placements: Placement[] = [];
  let path: string[] = [];
  let leaf: number | undefined;
  for (const event of step.events) {
    if (event.kind === 'accept' && event.depth === 1) leaf = event.item;
    if (event.kind === 'draw') {
      if (path.length === 0) path.push(event.bucketName);
      path.push(event.chosenName);
    } else if (event.depth === 0) {
      // The accepting try's counter is the number of tries that failed before it.
      if (event.kind === 'accept') {
        const placed = { step: step.index, rep: event.rep, item: event.item, path, retries: event.retry };
        placements.push(leaf === undefined || leaf === event.item ? placed : { ...placed, leaf });
      }
      path = [];
      leaf = undefined;
    }
  }
  return placements;
}
