import { describe, expect, it } from '@jest/globals';
import type { Provider } from '../../providers/index.js';
import { isConflict } from '../../runtime/store/index.js';
import type { Store } from '../../runtime/store/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { MANAGED_BY, NS, machineFixture } from './fixture.js';
import type { MachineFixture } from './fixture.js';

/** The process dies here: nothing after this point of the reconcile happens. */
class Crash extends Error {}

type CrashMode = 'before' | 'after';

/** Counts the calls that touch the store or the cloud, and crashes at call `at`, before or after it took effect. */
class CrashPlan {
  calls = 0;
  constructor(readonly at: number, readonly mode: CrashMode) {}

  wrap<T extends object>(target: T, ops: readonly string[]): T {
    return new Proxy(target, {
      get: (t, prop) => {
        const value: unknown = Reflect.get(t, prop);
        if (typeof value !== 'function') return value;
        const fn = value as (...args: unknown[]) => Promise<unknown>;
        if (!ops.includes(String(prop))) return fn.bind(t);
        return async (...args: unknown[]) => {
          const n = this.calls++;
          if (n === this.at && this.mode === 'before') throw new Crash(`crash before call ${n}`);
          const result = await fn.apply(t, args);
          if (n === this.at && this.mode === 'after') throw new Crash(`crash after call ${n}`);
          return result;
        };
      },
    });
  }
}

const STORE_WRITES = ['patch', 'updateStatus'];
const CLOUD_CALLS = ['create', 'get', 'describe', 'list', 'delete', 'image'];

function crashingDeps(fx: MachineFixture, plan: CrashPlan): ControllerDeps {
  return {
    ...fx.deps,
    store: plan.wrap<Store>(fx.store, STORE_WRITES),
    providers: { forAccount: async (ns, account) => plan.wrap<Provider>(await fx.deps.providers.forAccount(ns, account), CLOUD_CALLS) },
  };
}

/** Reconciles as restarted processes would, a second apart, until `done`; a Crash or a conflict is just another restart. */
async function converge(fx: MachineFixture, deps: ControllerDeps, done: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    try {
      await fx.reconcile('m1', deps);
    } catch (err) {
      if (!(err instanceof Crash) && !isConflict(err)) throw err;
    }
    if (await done()) return;
    fx.clock.advance(1_000);
  }
  throw new Error(`did not converge to ${what}`);
}

/** One lifecycle, launch to deletion, with one crash at call `at`; returns how many calls it made. */
async function lifecycle(at: number, mode: CrashMode): Promise<number> {
  const fx = await machineFixture();
  try {
    await fx.createStrategy();
    await fx.createPool();
    await fx.createMachine('m1');
    const plan = new CrashPlan(at, mode);
    const deps = crashingDeps(fx, plan);
    await converge(fx, deps, async () => (await fx.get('m1'))?.status?.phase === 'Running', 'Running');
    const live = await fx.sim().list({ managedBy: MANAGED_BY });
    expect({ at, mode, live: live.map((i) => i.id) }).toEqual({ at, mode, live: [(await fx.mustGet('m1')).status?.instanceId] });
    await fx.store.delete('Machine', { namespace: NS, name: 'm1' });
    await converge(fx, deps, async () => (await fx.get('m1')) === undefined, 'the Machine gone');
    expect({ at, mode, leaked: await fx.sim().list({ managedBy: MANAGED_BY }) }).toEqual({ at, mode, leaked: [] });
    return plan.calls;
  } finally {
    await fx.close();
  }
}

describe('crash safety', () => {
  it('a crash before or after any store write or cloud call leaves one instance while the Machine lives and none after', async () => {
    const calls = await lifecycle(-1, 'before');
    expect(calls).toBeGreaterThan(5);
    for (let at = 0; at < calls; at++) {
      for (const mode of ['before', 'after'] as const) await lifecycle(at, mode);
    }
    // Some 30 lifecycles, each with its own store and sim dir: 1.5–4 s on two shared cores, over jest's default 5 s when busier.
  }, 60_000);
});
