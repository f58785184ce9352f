import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_VERSION, describeIssues, parseKind } from '../../api/index.js';
import type { ProviderAccount, Strategy } from '../../api/index.js';
import { innermostProvider } from '../../providers/index.js';
import { SimProvider } from '../../providers/sim/index.js';
import { MemoryStore } from '../../runtime/testing/memory-store.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { createProviderResolver, noCredentials, OfferingBackoff } from '../shared/index.js';
import type { ControllerDeps } from '../shared/index.js';
import { createOfferingCatalog } from './catalog.js';

export const NS = 'default';

/** A Strategy as the store would hold it (defaults applied), from the spec fields a test cares about. */
export function strategyOf(spec: Record<string, unknown>, name = 'cheap'): Strategy {
  const parsed = parseKind('Strategy', { apiVersion: API_VERSION, kind: 'Strategy', metadata: { name, namespace: NS }, spec });
  if (!parsed.ok) throw new Error(`test Strategy is invalid:\n${describeIssues(parsed.issues)}`);
  return parsed.value;
}

export function simAccount(name: string, regions?: string[]): ProviderAccount {
  return regions === undefined ? { name, type: 'sim' } : { name, type: 'sim', regions };
}

/**
 * A controller test fixture (docs/architecture.md "Tests"): sim accounts in a temp dir reached
 * through the real ProviderResolver, a fake clock the catalogue cache runs on. `close()` in
 * afterEach.
 */
export function offeringsFixture() {
  const dir = mkdtempSync(join(tmpdir(), 'polyfleet-offerings-'));
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const deps: ControllerDeps = {
    store: new MemoryStore(),
    recorder: { record: () => undefined },
    clock,
    backoff: new OfferingBackoff(clock),
    managedBy: 'polyfleet-test',
    // One attempt per call: these tests see how a controller takes the failure that outlasts the
    // wrapper's retries (providers/resilience tests those), and a fault injected once must reach it.
    providers: createProviderResolver(noCredentials, { simDir: join(dir, 'sim'), clock, retry: { maxAttempts: 1 } }),
    catalog: createOfferingCatalog(clock),
  };
  return {
    clock,
    deps,
    /** The SimProvider the resolver hands out for `account`, to inject faults into. */
    async sim(account: string): Promise<SimProvider> {
      const provider = innermostProvider(await deps.providers.forAccount(NS, simAccount(account)));
      if (!(provider instanceof SimProvider)) throw new Error(`account ${account} is not a sim account`);
      return provider;
    },
    close(): void {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
