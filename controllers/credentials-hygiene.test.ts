// No credential value reaches an event, a status, the state file or a log line when an account's
// credentials are wrong, whichever source they come from: the controllers run on the file store
// with every log line captured at debug, and each failing account carries a distinctive secret.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderAccount } from '../api/index.js';
import { Manager } from '../runtime/manager/index.js';
import { createMetrics } from '../runtime/metrics/index.js';
import { openFileStore, type FileStore } from '../runtime/store/file/index.js';
import { capturingLogger } from '../runtime/testing/log-capture.js';
import { testNodePool, testStrategy } from '../runtime/testing/objects.js';
import { buildDeps, registerControllers } from './setup.js';
import { clusterCredentials, standaloneCredentials, type CredentialSource } from './shared/index.js';
import { systemClock } from '../runtime/clock.js';
import { CREDENTIALS_SECRET_TYPE } from '../runtime/secrets/index.js';

const NS = 'default';
/** Not sim keys (those start with "sim-"), so the sim refuses them with an AuthError. */
const ENV_SECRET = 'leak-canary-env-7f3a9c';
const FILE_SECRET = 'leak-canary-file-41d2e8';
const SECRET_SECRET = 'leak-canary-secret-b05c17';

interface Case {
  readonly name: string;
  readonly accounts: (dir: string) => ProviderAccount[];
  readonly source: (dir: string) => CredentialSource;
  readonly secrets: readonly string[];
}

const CASES: readonly Case[] = [
  {
    name: 'standalone ${env.VAR} and ${file:PATH} references',
    accounts: (dir) => [
      { name: 'sim-env', type: 'sim', credentials: { apiKey: '${env.POLYFLEET_TEST_SIM_KEY}' } },
      { name: 'sim-file', type: 'sim', credentials: { apiKey: `\${file:${join(dir, 'sim-key')}}` } },
    ],
    source: () => standaloneCredentials({ env: { POLYFLEET_TEST_SIM_KEY: ENV_SECRET } }),
    secrets: [ENV_SECRET, FILE_SECRET],
  },
  {
    name: 'a cluster Secret',
    accounts: () => [{ name: 'sim-secret', type: 'sim', credentialsSecretRef: { name: 'sim-creds' } }],
    source: () =>
      clusterCredentials({
        clock: systemClock,
        secrets: { read: (namespace, name) => Promise.resolve(namespace === NS && name === 'sim-creds' ? { type: CREDENTIALS_SECRET_TYPE, data: { apiKey: SECRET_SECRET, note: SECRET_SECRET } } : undefined) },
      }),
    secrets: [SECRET_SECRET],
  },
];

describe('wrong credentials leave no trace of their values', () => {
  let dir: string;
  let store: FileStore;
  let manager: Manager | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polyfleet-hygiene-'));
    await writeFile(join(dir, 'sim-key'), `${FILE_SECRET}\n`);
  });
  afterEach(async () => {
    await manager?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(CASES)('from $name', async ({ accounts, source, secrets }) => {
    const { log, lines } = capturingLogger();
    const statePath = join(dir, 'state.jsonl');
    store = await openFileStore({ path: statePath, logger: log });
    const metrics = createMetrics();
    manager = new Manager({ store, log, metrics });
    const deps = buildDeps({ store, eventSink: store.eventSink(), log, metrics, simDir: join(dir, 'sim'), credentials: source(dir) });
    registerControllers(manager, deps);
    const strategy = testStrategy(NS, 'wrong-keys');
    await store.create({ ...strategy, spec: { ...strategy.spec, providers: accounts(dir) } });
    await store.create(testNodePool(NS, 'workers', 'wrong-keys'));
    await manager.start();

    const names = accounts(dir).map((a) => a.name);
    const strategyMessage = await pollFor(async () => {
      const message = (await store.get('Strategy', { namespace: NS, name: 'wrong-keys' }))?.status?.conditions?.find((c) => c.type === 'Ready')?.message;
      return message !== undefined && names.every((n) => message.includes(`"${n}"`)) ? message : undefined;
    }, 'the Strategy to name every failing account');
    expect(strategyMessage).toContain("check the account's credentials");
    await pollFor(async () => ((await store.get('NodePool', { namespace: NS, name: 'workers' }))?.status?.conditions?.length ?? 0) > 0 || undefined, 'NodePool status');
    const events = await store.eventSink().list({ kind: 'Strategy', namespace: NS, name: 'wrong-keys' });
    expect(events.map((e) => e.reason)).toContain('NoOfferings');
    await manager.stop();
    manager = undefined;
    await store.close();

    const state = await readFile(statePath, 'utf8');
    const logText = lines.map((l) => JSON.stringify(l)).join('\n');
    const metricsText = await metrics.registry.metrics();
    expect(metricsText).toContain('polyfleet_provider_requests_total{provider="sim",op="regions",code="auth"}');
    for (const secret of secrets) {
      expect(state).not.toContain(secret);
      expect(logText).not.toContain(secret);
      expect(metricsText).not.toContain(secret);
      expect(JSON.stringify(events)).not.toContain(secret);
    }
  });
});

/** Polls `read` until it gives a value; a deadline only bounds a broken test. */
async function pollFor<T>(read: () => Promise<T | undefined>, what: string, deadlineMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() - started > deadlineMs) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
