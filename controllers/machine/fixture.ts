import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { ANNOTATION_PLACEMENT, API_VERSION, describeIssues, parseKind } from '../../api/index.js';
import type { Kind, Machine, MachineSpec, ResourceOf } from '../../api/index.js';
import type { CreateRequest } from '../../providers/index.js';
import { SimProvider } from '../../providers/sim/index.js';
import type { ReconcileContext, Result } from '../../runtime/controller/index.js';
import type { EventInput, EventRecorder, EventRegarding } from '../../runtime/events/index.js';
import { openFileStore } from '../../runtime/store/file/index.js';
import type { FileStore } from '../../runtime/store/file/index.js';
import type { Store } from '../../runtime/store/index.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { OfferingBackoff } from '../shared/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { reconcileMachine } from './controller.js';

export const NS = 'default';
export const MANAGED_BY = 'polyfleet-test';
export const POOL = 'workers';
export const STRATEGY = 'cheap';
const silent = pino({ level: 'silent' });

export interface RecordedEvent extends EventInput {
  readonly regarding: EventRegarding;
}

export interface MachineFixtureOptions {
  /** How long sim instances stay pending (default 2 s). */
  readonly createLatencyMs?: number;
  /** Sim accounts (default one, "sim-a"). */
  readonly accounts?: readonly string[];
}

/**
 * A controller test fixture (docs/architecture.md "Tests"): a file store and a sim cloud in a temp
 * dir, a fake clock both share, and the events recorded. Call `reconcile` directly; advance
 * `clock`; never sleep. `close()` in afterEach.
 */
export async function machineFixture(options: MachineFixtureOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'polyfleet-machine-'));
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const store: FileStore = await openFileStore({ path: join(dir, 'state.jsonl'), logger: silent, clock, pollIntervalMs: 0 });
  const accounts = options.accounts ?? ['sim-a'];
  const sims = new Map(accounts.map((account) => [account, new SimProvider({ account, dir: join(dir, 'sim'), clock, createLatencyMs: options.createLatencyMs ?? 2_000, deleteLatencyMs: 1_000 })]));
  const events: RecordedEvent[] = [];
  const recorder: EventRecorder = { record: (regarding, event) => events.push({ ...event, regarding }) };
  const backoff = new OfferingBackoff(clock);
  const deps: ControllerDeps = {
    store,
    recorder,
    clock,
    backoff,
    managedBy: MANAGED_BY,
    providers: {
      forAccount: (_namespace, account) => {
        const sim = sims.get(account.name);
        return sim === undefined ? Promise.reject(new Error(`fixture has no sim account ${account.name}`)) : Promise.resolve(sim);
      },
    },
  };
  const ctx: ReconcileContext = { log: silent, signal: new AbortController().signal, reconcileId: 'test' };
  const sim = (account = accounts[0] ?? 'sim-a'): SimProvider => {
    const found = sims.get(account);
    if (found === undefined) throw new Error(`fixture has no sim account ${account}`);
    return found;
  };
  return {
    dir,
    clock,
    store,
    deps,
    ctx,
    events,
    backoff,
    sim,
    reconcile: (name: string, withDeps: ControllerDeps = deps): Promise<Result> => reconcileMachine(withDeps, ctx, { namespace: NS, name }),
    get: (name: string): Promise<Machine | undefined> => store.get('Machine', { namespace: NS, name }),
    async mustGet(name: string): Promise<Machine> {
      const m = await store.get('Machine', { namespace: NS, name });
      if (m === undefined) throw new Error(`Machine ${name} does not exist`);
      return m;
    },
    createStrategy: (accountNames: readonly string[] = accounts) => store.create(strategy(accountNames)),
    createPool: (readyTimeoutSeconds = 900) => store.create(valid('NodePool', { metadata: { name: POOL, namespace: NS }, spec: { replicas: 1, strategyRef: { name: STRATEGY }, readyTimeoutSeconds } })),
    createMachine: (name: string, spec: Partial<MachineSpec> = {}, finalizers?: string[]) => store.create(machine(name, spec, finalizers)),
    async close(): Promise<void> {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type MachineFixture = Awaited<ReturnType<typeof machineFixture>>;

/** The create request the Machine controller would send for `machine` (a crash's unrecorded instance, say). */
export function simCreateRequestFor(machine: Machine, over: Partial<CreateRequest> = {}): CreateRequest {
  const { spec, metadata } = machine;
  return {
    machineUid: metadata.uid ?? '',
    attempt: 1,
    managedBy: MANAGED_BY,
    pool: spec.pool,
    namespace: metadata.namespace ?? NS,
    region: spec.region,
    zone: spec.zone,
    instanceType: spec.instanceType,
    image: spec.image ?? '',
    ...over,
  };
}

/** The fixture's deps with another store, e.g. one whose writes fail. */
export function withStore(deps: ControllerDeps, store: Store): ControllerDeps {
  return { ...deps, store };
}

function valid<K extends Kind>(kind: K, input: Record<string, unknown>): ResourceOf<K> & { kind: K } {
  const parsed = parseKind(kind, { apiVersion: API_VERSION, kind, ...input });
  if (!parsed.ok) throw new Error(`test ${kind} is invalid:\n${describeIssues(parsed.issues)}`);
  return { ...parsed.value, kind };
}

function strategy(accounts: readonly string[]) {
  return valid('Strategy', {
    metadata: { name: STRATEGY, namespace: NS },
    spec: { pick: 'cheapest', providers: accounts.map((name) => ({ name, type: 'sim' })), software: { os: 'ubuntu-24.04' } },
  });
}

function machine(name: string, spec: Partial<MachineSpec>, finalizers?: string[]) {
  return valid('Machine', {
    metadata: { name, namespace: NS, annotations: { [ANNOTATION_PLACEMENT]: 'slot 0 → sim-a/na-east/na-east-a; picked sim.micro at $0.0084/h by cheapest' }, ...(finalizers ? { finalizers } : {}) },
    spec: {
      pool: POOL,
      provider: 'sim-a',
      providerType: 'sim',
      region: 'na-east',
      zone: 'na-east-a',
      instanceType: 'sim.micro',
      image: 'sim-img-ubuntu-24.04-na-east',
      slot: 0,
      failureDomain: 'sim-a/na-east/na-east-a',
      ...spec,
    },
  });
}
