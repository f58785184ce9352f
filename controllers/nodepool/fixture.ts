// A controller test fixture (docs/architecture.md "Tests"): a file store in a temp dir, sim
// accounts in a temp dir, a fake clock, an event list; tests call reconcile directly and play the
// Machine controller's part by hand.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { API_VERSION, describeIssues, parseKind, type Kind, type Machine, type NodePool, type ResourceOf } from '../../api/index.js';
import type { ReconcileContext, Result } from '../../runtime/controller/index.js';
import type { EventInput, EventRegarding } from '../../runtime/events/index.js';
import { openFileStore, type FileStore } from '../../runtime/store/file/index.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { createOfferingCatalog } from '../offerings/index.js';
import { createProviderResolver, noCredentials, OfferingBackoff, type ControllerDeps } from '../shared/index.js';
import { controlledBy } from './pool-machines.js';
import { nodePoolController } from './registration.js';

export const NS = 'default';

/** `kind` parsed with the api/ schemas, defaults applied, ready to create. */
export function manifest<K extends Kind>(kind: K, name: string, spec: Record<string, unknown>): ResourceOf<K> & { kind: K } {
  const parsed = parseKind(kind, { apiVersion: API_VERSION, kind, metadata: { name, namespace: NS }, spec });
  if (!parsed.ok) throw new Error(`test ${kind} ${name} is invalid:\n${describeIssues(parsed.issues)}`);
  return { ...parsed.value, kind };
}

export interface RecordedEvent extends EventInput {
  readonly regarding: EventRegarding;
}

export async function nodePoolFixture() {
  const dir = mkdtempSync(join(tmpdir(), 'polyfleet-nodepool-'));
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const log = pino({ level: 'silent' });
  const store: FileStore = await openFileStore({ path: join(dir, 'state.jsonl'), logger: log, clock, pollIntervalMs: 0 });
  const events: RecordedEvent[] = [];
  const deps: ControllerDeps = {
    store,
    recorder: { record: (regarding, event) => events.push({ regarding, ...event }) },
    clock,
    backoff: new OfferingBackoff(clock),
    managedBy: 'polyfleet-test',
    // One attempt per call: these tests see how a controller takes the failure that outlasts the
    // wrapper's retries (providers/resilience tests those), and a fault injected once must reach it.
    providers: createProviderResolver(noCredentials, { simDir: join(dir, 'sim'), clock, retry: { maxAttempts: 1 } }),
    catalog: createOfferingCatalog(clock),
  };
  let names = 0;
  const controller = nodePoolController(deps, { suffix: () => `m${String(names++).padStart(4, '0')}` });
  const ctx: ReconcileContext = { log, signal: new AbortController().signal, reconcileId: 'test' };
  const pool = async (name = 'workers'): Promise<NodePool> => {
    const found = await store.get('NodePool', { namespace: NS, name });
    if (found === undefined) throw new Error(`NodePool ${name} is gone`);
    return found;
  };
  return {
    clock,
    deps,
    store,
    events,
    controller,
    ctx,
    reconcile: (name = 'workers'): Promise<Result> => controller.reconcile(ctx, { namespace: NS, name }),
    pool,
    machines: async (name = 'workers'): Promise<Machine[]> => {
      const controlled = controlledBy(await pool(name));
      return (await store.list('Machine', { namespace: NS })).filter(controlled).sort((a, b) => a.spec.slot - b.spec.slot);
    },
    /** What the Machine controller would write once the instance runs. */
    async markRunning(machine: Machine, hourlyPrice = '0.01'): Promise<void> {
      await store.updateStatus({ ...machine, kind: 'Machine', status: { ...machine.status, phase: 'Running', hourlyPrice } });
    },
    /** What the Machine controller does once the instance is terminated. */
    async dropFinalizers(machine: Machine): Promise<void> {
      const current = await store.get('Machine', { namespace: NS, name: machine.metadata.name });
      if (current !== undefined) await store.update({ ...current, kind: 'Machine', metadata: { ...current.metadata, finalizers: [] } });
    },
    async close(): Promise<void> {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type NodePoolFixture = Awaited<ReturnType<typeof nodePoolFixture>>;
