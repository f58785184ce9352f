// One in-process polyfleet for the controller bench: a file store and a sim dir in a temp dir, every
// controller registered on a Manager (controllers/setup.ts), providers timed by controllers-provider.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pino } from 'pino';
import { API_VERSION, describeIssues, parseKind, type Kind, type ResourceOf } from '../api/index.js';
import { buildDeps, registerControllers } from '../controllers/setup.js';
import { Manager } from '../runtime/manager/index.js';
import { openFileStore, type FileStore } from '../runtime/store/file/index.js';
import { listReadOnly } from '../runtime/store/index.js';
import { benchSimResolver, type CreateObserver } from './controllers-provider.js';

export const NS = 'default';
export const STRATEGY = 'bench-sim';

export interface WorldOptions {
  readonly createCallMs: number;
  readonly readyMs: number;
  readonly observer: CreateObserver;
  /** An existing directory holding state.jsonl and sim/; default a fresh temp dir, removed on close. */
  readonly dir?: string;
}

export interface World {
  readonly dir: string;
  readonly store: FileStore;
  readonly manager: Manager;
  close(): Promise<void>;
}

/** Starts every controller over a file store; the Strategy the bench's pools use is created first. */
export async function startWorld(options: WorldOptions): Promise<World> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'polyfleet-bench-controllers-'));
  const log = pino({ level: 'warn' });
  const store = await openFileStore({ path: join(dir, 'state.jsonl'), logger: log.child({ component: 'store' }) });
  const deps = {
    ...buildDeps({ store, eventSink: store.eventSink(), log, simDir: join(dir, 'sim'), managedBy: 'pf-bench' }),
    providers: benchSimResolver({ simDir: join(dir, 'sim'), createCallMs: options.createCallMs, readyMs: options.readyMs, observer: options.observer }),
  };
  const manager = new Manager({ store, log });
  registerControllers(manager, deps);
  if ((await store.get('Strategy', { namespace: NS, name: STRATEGY })) === undefined) await store.create(benchStrategy());
  await manager.start();
  return {
    dir,
    store,
    manager,
    async close() {
      await manager.stop();
      await manager.done;
      await store.close();
      if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One sim account, `first` pick, no PlacementRule: every slot goes to the single best offering. */
export function benchStrategy(): ResourceOf<'Strategy'> & { kind: 'Strategy' } {
  return parsed('Strategy', STRATEGY, { pick: 'first', providers: [{ name: 'sim-a', type: 'sim' }], hardware: {}, software: { os: 'ubuntu-24.04' } });
}

export function benchPool(name: string, replicas: number): ResourceOf<'NodePool'> & { kind: 'NodePool' } {
  return parsed('NodePool', name, { replicas, strategyRef: { name: STRATEGY }, template: {} });
}

function parsed<K extends Kind>(kind: K, name: string, spec: Record<string, unknown>): ResourceOf<K> & { kind: K } {
  const result = parseKind(kind, { apiVersion: API_VERSION, kind, metadata: { name, namespace: NS }, spec });
  if (!result.ok) throw new Error(`bench ${kind} ${name} is invalid:\n${describeIssues(result.issues)}`);
  return { ...result.value, kind };
}

/** Polls `check` until it holds; throws naming `what` past the deadline. Never a fixed sleep as a wait. */
export async function waitFor(what: string, check: () => Promise<boolean>, deadlineMs: number, pollMs = 50): Promise<void> {
  const until = performance.now() + deadlineMs;
  while (!(await check())) {
    if (performance.now() > until) throw new Error(`gave up after ${Math.round(deadlineMs / 1000)} s waiting for ${what}`);
    await delay(pollMs);
  }
}

/** Running Machines of pool `name`. */
export async function runningMachines(store: FileStore, pool: string): Promise<number> {
  // Read-only: a copy of every Machine per poll would take CPU from the controllers being timed.
  const machines = await listReadOnly(store, 'Machine', { namespace: NS, labelSelector: `polyfleet.io/pool=${pool}` });
  return machines.filter((m) => m.status?.phase === 'Running').length;
}
