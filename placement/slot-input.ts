// The CRUSH input of a pool's slot group: x = crush_hash32_2(fnv1a32(poolUid), group).
//
// FNV-1a folds the UID's UTF-8 bytes into 32 bits (simple, stable, in no library); rjenkins
// then mixes it with the group index so neighbouring groups and similar UIDs get unrelated x.
// Changing this changes every placement of every pool: it is part of the on-disk contract.

import { crushHash32_2 } from './hash.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const utf8 = new TextEncoder();

export function fnv1a32(text: string): number {
  let h = FNV_OFFSET;
  for (const byte of utf8.encode(text)) h = Math.imul(h ^ byte, FNV_PRIME);
  return h >>> 0;
}

/** x for slots group·groupSize … group·groupSize + groupSize − 1 of the pool. */
export function slotGroupInput(poolUid: string, group: number): number {
  return crushHash32_2(fnv1a32(poolUid), group);
}
