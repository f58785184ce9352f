import { describe, expect, it } from '@jest/globals';
import { FakeClock } from './fake-clock.js';

describe('FakeClock', () => {
  it('fires due timers in order, each at its own instant, including ones scheduled while advancing', () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    const at = (name: string) => () => {
      fired.push(`${name}@${clock.now().getTime()}`);
    };
    clock.setTimeout(at('b'), 20);
    clock.setTimeout(() => {
      at('a')();
      clock.setTimeout(at('a2'), 5);
    }, 10);
    const cancel = clock.setTimeout(at('cancelled'), 15);
    cancel();
    clock.setTimeout(at('late'), 100);
    clock.advance(30);
    expect(fired).toEqual(['a@10', 'a2@15', 'b@20']);
    expect(clock.now().getTime()).toBe(30);
    expect(clock.pendingTimers()).toBe(1);
    expect(clock.nextTimerInMs()).toBe(70);
  });
});
