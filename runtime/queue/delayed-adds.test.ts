import { describe, expect, it } from '@jest/globals';
import { FakeClock } from '../testing/fake-clock.js';
import { DelayedAdds } from './delayed-adds.js';

function delayed(): { clock: FakeClock; adds: DelayedAdds; added: { item: string; atMs: number }[] } {
  const clock = new FakeClock(0);
  const added: { item: string; atMs: number }[] = [];
  const adds = new DelayedAdds(clock, clock, (item) => added.push({ item, atMs: clock.now().getTime() }));
  return { clock, adds, added };
}

describe('DelayedAdds', () => {
  it('adds each item when its delay is over, in due order, behind a single timer', () => {
    const { clock, adds, added } = delayed();
    for (let i = 0; i < 1_000; i++) adds.schedule(`m${i}`, ((i * 7919) % 1_000) + 1);
    expect(clock.pendingTimers()).toBe(1);
    expect(adds.size()).toBe(1_000);
    clock.advance(1_000);
    expect(added).toHaveLength(1_000);
    expect(added.map((a) => a.atMs)).toEqual([...added.map((a) => a.atMs)].sort((a, b) => a - b));
    for (const { item, atMs } of added) expect(atMs).toBe(((Number(item.slice(1)) * 7919) % 1_000) + 1);
    expect(adds.size()).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('keeps the earlier of two requests for one item, and adds it once', () => {
    const { clock, adds, added } = delayed();
    adds.schedule('a', 500);
    adds.schedule('a', 100);
    adds.schedule('a', 900);
    clock.advance(1_000);
    expect(added).toEqual([{ item: 'a', atMs: 100 }]);
  });

  it('schedules an item again once it was added', () => {
    const { clock, adds, added } = delayed();
    adds.schedule('a', 100);
    adds.schedule('a', 50);
    clock.advance(60);
    adds.schedule('a', 40);
    clock.advance(1_000);
    expect(added).toEqual([
      { item: 'a', atMs: 50 },
      { item: 'a', atMs: 100 },
    ]);
  });

  it('adds nothing after cancelAll', () => {
    const { clock, adds, added } = delayed();
    adds.schedule('a', 10);
    adds.schedule('b', 20);
    adds.cancelAll();
    clock.advance(100);
    expect(added).toEqual([]);
    expect(clock.pendingTimers()).toBe(0);
  });
});
