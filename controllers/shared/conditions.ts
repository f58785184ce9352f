import type { Condition } from '../../api/index.js';
import { rfc3339Seconds } from '../../runtime/clock.js';

export type NewCondition = Pick<Condition, 'type' | 'status' | 'reason' | 'message'>;

/** Sets one condition; lastTransitionTime moves only when the status flips (CAPI's setter). */
export function setCondition(list: readonly Condition[] | undefined, c: NewCondition, generation: number, now: Date): Condition[] {
  const prev = (list ?? []).find((x) => x.type === c.type);
  const lastTransitionTime = prev?.status === c.status ? prev.lastTransitionTime : rfc3339Seconds(now);
  const message = c.message.length > 1024 ? `${c.message.slice(0, 1021)}...` : c.message;
  const next: Condition = { ...c, message, observedGeneration: generation, lastTransitionTime };
  return [...(list ?? []).filter((x) => x.type !== c.type), next].sort((a, b) => a.type.localeCompare(b.type));
}

export function findCondition(list: readonly Condition[] | undefined, type: string): Condition | undefined {
  return list?.find((c) => c.type === type);
}
