import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { API_VERSION, describeIssues, parseKind } from '../../api/index.js';
import type { Strategy } from '../../api/index.js';
import { SimProvider } from '../../providers/sim/index.js';
import type { ReconcileContext, Result } from '../../runtime/controller/index.js';
import type { EventInput, EventRecorder, EventRegarding } from '../../runtime/events/index.js';
import { openFileStore } from '../../runtime/store/file/index.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { createOfferingCatalog } from '../offerings/index.js';
import { createProviderResolver, noCredentials, OfferingBackoff } from '../shared/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { reconcileStrategy } from './controller.js';

export const NS = 'default';
const silent = pino({ level: 'silent' });

export interface RecordedEvent extends EventInput {
  readonly regarding: EventRegarding;
}

/**
 * STYLE.md (e): a file store and sim accounts in a temp dir, a fake clock both share, the events
 * recorded. Call `reconcile` directly; advance `clock`; never sleep. `close()` in afterEach.
 */
export async function strategyFixture() {
  const dir = mkdtempSync(join(tmpdir(), 'polyfleet-strategy-'));
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
  return {
    clock,
    store,
    deps,
    events,
    /** Creates (or replaces the spec of) Strategy `name`. */
    async apply(name: string, spec: Record<string, unknown>): Promise<void> {
      const parsed = parseKind('Strategy', { apiVersion: API_VERSION, kind: 'Strategy', metadata: { name, namespace: NS }, spec });
      if (!parsed.ok) throw new Error(`test Strategy is invalid:\n${describeIssues(parsed.issues)}`);
      const existing = await store.get('Strategy', { namespace: NS, name });
      if (existing === undefined) await store.create({ ...parsed.value, kind: 'Strategy' });
      else await store.update({ ...existing, spec: parsed.value.spec });
    },
    reconcile: (name: string): Promise<Result> => reconcileStrategy(deps, ctx, { namespace: NS, name }),
    async mustGet(name: string): Promise<Strategy> {
      const s = await store.get('Strategy', { namespace: NS, name });
      if (s === undefined) throw new Error(`Strategy ${name} does not exist`);
      return s;
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
