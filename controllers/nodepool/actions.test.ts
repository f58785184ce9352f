import { describe, expect, it } from '@jest/globals';
import { MAX_CREATES_IN_FLIGHT, slowStartBatches } from './actions.js';

describe('slowStartBatches', () => {
  it.each([
    { name: 'nothing', count: 0, max: 4, sizes: [] },
    { name: 'one', count: 1, max: 4, sizes: [1] },
    { name: 'doubling, last batch short', count: 10, max: 32, sizes: [1, 2, 4, 3] },
    { name: 'capped', count: 20, max: 4, sizes: [1, 2, 4, 4, 4, 4, 1] },
  ])('$name', ({ count, max, sizes }) => {
    const items = Array.from({ length: count }, (_, i) => i);
    const batches = [...slowStartBatches(items, max)];
    expect(batches.map((b) => b.length)).toEqual(sizes);
    expect(batches.flat()).toEqual(items);
  });

  it('has a 1,000-Machine scale-out reach full width after a handful of batches', () => {
    const batches = [...slowStartBatches(Array.from({ length: 1000 }, (_, i) => i), MAX_CREATES_IN_FLIGHT)];
    expect(batches.slice(0, 6).map((b) => b.length)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(batches.length).toBe(6 + Math.ceil((1000 - 63) / 32));
  });
});
