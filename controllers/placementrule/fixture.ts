import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { API_VERSION, describeIssues, parseResource } from '../../api/index.js';
import type { PlacementRule } from '../../api/index.js';
import { SimProvider } from '../../providers/sim/index.js';
import type { ReconcileContext, Result } from '../../runtime/controller/index.js';
import type { EventInput, EventRecorder, EventRegarding } from '../../runtime/events/index.js';
import { openFileStore } from '../../runtime/store/file/index.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { createOfferingCatalog } from '../offerings/index.js';
import { createProviderResolver, noCredentials, OfferingBackoff } from '../shared/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { reconcilePlacementRule } from './controller.js';

export const NS = 'default';
const silent = pino({ level: 'silent' });

export interface RecordedEvent extends EventInput {
  readonly regarding: EventRegarding;
}

/**
 * STYLE.md (e): a file store and sim accounts in a temp dir, a fake clock both share, the events
 * recorded. Call `reconcile` directly; never sleep. `close()` in afterEach.
 */
export async function placementRuleFixture() {
  const dir = mkdtempSync(join(tmpdir(), 'polyfleet-placementrule-'));
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const store = await openFileStore({ path: join(dir, 'state.jsonl'), logger: silent, clock, pollIntervalMs: 0 });
  const events: RecordedEvent[] = [];
  const recorder: EventRecorder = { record: (regarding, event) => events.push({ ...event, regarding }) };
  const deps: ControllerDeps = {
    store,
    recorder,
    clock,
    backoff: new OfferingBackoff(clock),
    managedBy: 'polyfleet-test',
    providers: createProviderResolver(noCredentials, { simDir: join(dir, 'sim'), clock }),
    catalog: createOfferingCatalog(clock),
  };
  const ctx: ReconcileContext = { log: silent, signal: new AbortController().signal, reconcileId: 'test' };

  /** Creates the object, or replaces its spec. */
  async function apply(kind: 'Strategy' | 'PlacementRule' | 'NodePool', name: string, spec: Record<string, unknown>): Promise<void> {
    const parsed = parseResource({ apiVersion: API_VERSION, kind, metadata: { name, namespace: NS }, spec });
    if (!parsed.ok) throw new Error(`test ${kind} is invalid:\n${describeIssues(parsed.issues)}`);
    const object = parsed.value;
    const existing = await store.get(object.kind, { namespace: NS, name });
    if (existing === undefined) await store.create(object);
    else await store.update({ ...object, metadata: existing.metadata });
  }

  return {
    clock,
    store,
    deps,
    events,
    apply,
    pool: (name: string, strategy: string, rule: string) => apply('NodePool', name, { replicas: 3, strategyRef: { name: strategy }, placementRuleRef: { name: rule } }),
    reconcile: (name: string): Promise<Result> => reconcilePlacementRule(deps, ctx, { namespace: NS, name }),
    async mustGet(name: string): Promise<PlacementRule> {
      const r = await store.get('PlacementRule', { namespace: NS, name });
      if (r === undefined) throw new Error(`PlacementRule ${name} does not exist`);
      return r;
    },
    async sim(account: string): Promise<SimProvider> {
      const provider = await deps.providers.forAccount(NS, { name: account, type: 'sim' });
      if (!(provider instanceof SimProvider)) throw new Error(`account ${account} is not a sim account`);
      return provider;
    },
    async close(): Promise<void> {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
