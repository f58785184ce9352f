import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { API_VERSION, describeIssues, parseKind } from '../../api/index.js';
import type { Kind, ResourceOf } from '../../api/index.js';
import { SimProvider } from '../../providers/sim/index.js';
import type { CreateRequest } from '../../providers/index.js';
import type { ReconcileContext } from '../../runtime/controller/index.js';
import type { EventInput, EventRegarding } from '../../runtime/events/index.js';
import { openFileStore } from '../../runtime/store/file/index.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { OfferingBackoff } from '../shared/index.js';
import type { ControllerDeps } from '../shared/index.js';

export const NS = 'default';
export const MANAGED_BY = 'polyfleet-test';
const silent = pino({ level: 'silent' });

/** A file store and a two-account sim cloud in a temp dir on one fake clock, and the events recorded. */
export async function gcFixture() {
  const dir = mkdtempSync(join(tmpdir(), 'polyfleet-gc-'));
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const store = await openFileStore({ path: join(dir, 'state.jsonl'), logger: silent, clock, pollIntervalMs: 0 });
  const sims = new Map(['sim-a', 'sim-b'].map((account) => [account, new SimProvider({ account, dir: join(dir, 'sim'), clock, createLatencyMs: 0, deleteLatencyMs: 0 })]));
  const events: (EventInput & { regarding: EventRegarding })[] = [];
  const deps: ControllerDeps = {
    store,
    clock,
    managedBy: MANAGED_BY,
    backoff: new OfferingBackoff(clock),
    recorder: { record: (regarding, event) => events.push({ ...event, regarding }) },
    providers: {
      forAccount: (_namespace, account) => {
        const sim = sims.get(account.name);
        return sim === undefined ? Promise.reject(new Error(`fixture has no sim account ${account.name}`)) : Promise.resolve(sim);
      },
    },
  };
  const ctx: ReconcileContext = { log: silent, signal: new AbortController().signal, reconcileId: 'test' };
  const sim = (account: string): SimProvider => {
    const found = sims.get(account);
    if (found === undefined) throw new Error(`fixture has no sim account ${account}`);
    return found;
  };
  return {
    clock,
    store,
    deps,
    ctx,
    events,
    sim,
    createStrategy: (name: string, accounts: readonly string[]) =>
      store.create(valid('Strategy', { metadata: { name, namespace: NS }, spec: { providers: accounts.map((a) => ({ name: a, type: 'sim' })) } })),
    createMachine: (name: string, finalizers?: string[]) =>
      store.create(valid('Machine', {
        metadata: { name, namespace: NS, ...(finalizers ? { finalizers } : {}) },
        spec: { pool: 'workers', provider: 'sim-a', providerType: 'sim', region: 'na-east', zone: 'na-east-a', instanceType: 'sim.micro', slot: 0, failureDomain: 'sim-a/na-east/na-east-a' },
      })),
    /** An instance in `account` tagged for Machine `machineUid`, as the Machine controller would create it. */
    createInstance: (account: string, machineUid: string, managedBy = MANAGED_BY) => sim(account).create(instanceRequest(machineUid, managedBy)),
    async close(): Promise<void> {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type GcFixture = Awaited<ReturnType<typeof gcFixture>>;

/** Strategy "cheap" with sim-a in `regions` only. */
export function strategyWithRegions(regions: readonly string[]) {
  return valid('Strategy', { metadata: { name: 'cheap', namespace: NS }, spec: { providers: [{ name: 'sim-a', type: 'sim', regions }] } });
}

export function instanceRequest(machineUid: string, managedBy = MANAGED_BY): CreateRequest {
  return { machineUid, attempt: 1, managedBy, pool: 'workers', namespace: NS, region: 'na-east', zone: 'na-east-a', instanceType: 'sim.micro', image: 'sim-img-ubuntu-24.04-na-east' };
}

function valid<K extends Kind>(kind: K, input: Record<string, unknown>): ResourceOf<K> & { kind: K } {
  const parsed = parseKind(kind, { apiVersion: API_VERSION, kind, ...input });
  if (!parsed.ok) throw new Error(`test ${kind} is invalid:\n${describeIssues(parsed.issues)}`);
  return { ...parsed.value, kind };
}
