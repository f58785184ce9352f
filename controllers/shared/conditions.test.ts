import { describe, expect, it } from '@jest/globals';
import { setCondition } from './conditions.js';

describe('setCondition', () => {
  it('moves lastTransitionTime only when the status flips, and stamps the generation', () => {
    const t1 = new Date('2026-01-01T00:00:00.500Z');
    const t2 = new Date('2026-01-01T00:05:00Z');
    const a = setCondition(undefined, { type: 'Ready', status: 'False', reason: 'MachinesNotReady', message: '0/3' }, 1, t1);
    expect(a).toEqual([{ type: 'Ready', status: 'False', reason: 'MachinesNotReady', message: '0/3', observedGeneration: 1, lastTransitionTime: '2026-01-01T00:00:00Z' }]);
    const b = setCondition(a, { type: 'Ready', status: 'False', reason: 'MachinesNotReady', message: '1/3' }, 2, t2);
    expect(b[0]?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(b[0]?.observedGeneration).toBe(2);
    const c = setCondition(b, { type: 'Ready', status: 'True', reason: 'AllReady', message: '3/3' }, 2, t2);
    expect(c[0]?.lastTransitionTime).toBe('2026-01-01T00:05:00Z');
  });
});
