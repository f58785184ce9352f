import { createHash } from 'node:crypto';
import type { CreateRequest } from '../types.js';

/**
 * The RunInstances ClientToken of a create: a digest of (machineUid, attempt) and the offering and
 * image, because EC2 answers a token reused with other parameters (a fallback to another type or
 * zone after InsufficientInstanceCapacity) with IdempotentParameterMismatch, and a token whose
 * instance was terminated with IdempotentInstanceTerminated (so a replacement needs a new attempt).
 * 51 ASCII characters, under EC2's 64.
 */
export function clientToken(req: Pick<CreateRequest, 'machineUid' | 'attempt' | 'region' | 'zone' | 'instanceType' | 'image' | 'capacityType'>): string {
  // Spot is part of the offering; on-demand keeps the key it always had, so tokens of earlier creates still match.
  const key = JSON.stringify([req.machineUid, req.attempt, req.region, req.zone, req.instanceType, req.image, ...(req.capacityType === 'spot' ? ['spot'] : [])]);
  return `pf-${createHash('sha256').update(key).digest('hex').slice(0, 48)}`;
}
