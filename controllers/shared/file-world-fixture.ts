import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { innermostProvider } from '../../providers/index.js';
import { SimProvider } from '../../providers/sim/index.js';
import type { ReconcileContext } from '../../runtime/controller/index.js';
import type { EventInput, EventRecorder, EventRegarding } from '../../runtime/events/index.js';
import { openFileStore } from '../../runtime/store/file/index.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { createOfferingCatalog } from '../offerings/index.js';
import type { ControllerDeps } from './deps.js';
import { OfferingBackoff } from './offering-backoff.js';
import { createProviderResolver, noCredentials } from './provider-resolver.js';

export const FIXTURE_NAMESPACE = 'default';
const silent = pino({ level: 'silent' });

export interface RecordedEvent extends EventInput {
  readonly regarding: EventRegarding;
}

/**
 * A controller test fixture (docs/architecture.md "Tests"): a file store and sim accounts in a temp
 * dir, a fake clock both share, the events recorded, a reconcile context. Call reconciles directly;
 * advance `clock`; never sleep. `close()` in afterEach.
 */
export async function fileWorldFixture(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `polyfleet-${name}-`));
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
    // One attempt per call: these tests see how a controller takes the failure that outlasts the
    // wrapper's retries (providers/resilience tests those), and a fault injected once must reach it.
    providers: createProviderResolver(noCredentials, { simDir: join(dir, 'sim'), clock, retry: { maxAttempts: 1 } }),
    catalog: createOfferingCatalog(clock),
  };
  const ctx: ReconcileContext = { log: silent, signal: new AbortController().signal, reconcileId: 'test' };
  return {
    dir,
    clock,
    store,
    deps,
    events,
    ctx,
    /** The SimProvider the resolver hands out for `account`, to inject faults into. */
    async sim(account: string): Promise<SimProvider> {
      const provider = innermostProvider(await deps.providers.forAccount(FIXTURE_NAMESPACE, { name: account, type: 'sim' }));
      if (!(provider instanceof SimProvider)) throw new Error(`account ${account} is not a sim account`);
      return provider;
    },
    async close(): Promise<void> {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
