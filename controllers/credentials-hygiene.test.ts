// No credential or user-data secret reaches an event, a status, the state file, a metric or a log
// line, whichever source it comes from and whether it is used or refused: the controllers run on the
// file store with every log line captured at debug, and each Secret, variable or file carries a
// distinctive canary. Only the cloud may hold one (a user-data canary the instance was created
// with), and a refused Secret reaches not even the cloud.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodePool, ProviderAccount } from '../api/index.js';
import { Manager } from '../runtime/manager/index.js';
import { createMetrics } from '../runtime/metrics/index.js';
import { openFileStore, type FileStore } from '../runtime/store/file/index.js';
import { capturingLogger } from '../runtime/testing/log-capture.js';
import { testNodePool, testStrategy } from '../runtime/testing/objects.js';
import { buildDeps, registerControllers } from './setup.js';
import { clusterCredentials, standaloneCredentials, type CredentialSource } from './shared/index.js';
import { systemClock } from '../runtime/clock.js';
import { CREDENTIALS_SECRET_TYPE, type SecretContent, type SecretReader } from '../runtime/secrets/index.js';

const NS = 'default';
/** Not sim keys (those start with "sim-"), so the sim refuses them with an AuthError. */
const ENV_SECRET = 'leak-canary-env-7f3a9c';
const FILE_SECRET = 'leak-canary-file-41d2e8';
const SECRET_SECRET = 'leak-canary-secret-b05c17';
/** Valid sim keys and a DigitalOcean token: had they been used, the account would have worked. */
const OPAQUE_SECRET = 'sim-leak-canary-opaque-93ab10';
const ENDPOINT_SECRET = 'dop_v1_leak-canary-endpoint-c4d7e2';
const USER_DATA_SECRET = '#cloud-config\nleak-canary-user-data-2f8e61';
const OPAQUE_USER_DATA = '#cloud-config\nleak-canary-opaque-user-data-70c3d5';

/** Secrets in memory, as the cluster would hand them over. */
function secretsOf(secrets: Record<string, SecretContent>): SecretReader {
  return { read: (namespace, name) => Promise.resolve(secrets[`${namespace}/${name}`]) };
}

interface World {
  readonly store: FileStore;
  readonly dir: string;
}

interface Case {
  readonly name: string;
  readonly accounts: (dir: string) => ProviderAccount[];
  readonly source: (dir: string) => CredentialSource;
  /** The cluster's Secrets for ControllerDeps.secrets (userDataSecretRef); absent standalone. */
  readonly secrets?: SecretReader;
  readonly template?: NodePool['spec']['template'];
  /** Canaries that must be found nowhere but the cloud. */
  readonly canaries: readonly string[];
  /** Canaries the cloud must hold (the instance was created with them). */
  readonly inCloud?: readonly string[];
  /** Waits until the case has happened and checks what it shows; runs while the controllers do. */
  readonly settled: (world: World) => Promise<void>;
  /** A line of polyfleet_provider_requests_total that must show, or 'none': no provider call was made at all. */
  readonly calls: string;
}

const strategyReady = async (store: FileStore) => (await store.get('Strategy', { namespace: NS, name: 'wrong-keys' }))?.status?.conditions?.find((c) => c.type === 'Ready');

/** Until the Strategy's Ready condition names every account; checks the message with `check`. */
function strategyNames(names: readonly string[], check: (message: string) => void): Case['settled'] {
  return async ({ store }) => {
    const message = await pollFor(async () => {
      const m = (await strategyReady(store))?.message;
      return m !== undefined && names.every((n) => m.includes(`"${n}"`)) ? m : undefined;
    }, 'the Strategy to name every failing account');
    check(message);
    await pollFor(async () => ((await store.get('NodePool', { namespace: NS, name: 'workers' }))?.status?.conditions?.length ?? 0) > 0 || undefined, 'NodePool status');
    const events = await store.eventSink().list({ kind: 'Strategy', namespace: NS, name: 'wrong-keys' });
    expect(events.map((e) => e.reason)).toContain('NoOfferings');
  };
}

/** Until the pool's Machine says (Launched condition) why it waits; checks the message with `check`. */
function machineWaits(check: (message: string) => void): Case['settled'] {
  return async ({ store }) => {
    const message = await pollFor(async () => {
      const [machine] = await store.list('Machine', { namespace: NS });
      const launched = machine?.status?.conditions?.find((c) => c.type === 'Launched');
      return launched?.status === 'False' ? launched.message : undefined;
    }, 'the Machine to say why it is not launched');
    check(message);
    const [machine] = await store.list('Machine', { namespace: NS });
    expect(machine?.status?.instanceId).toBeUndefined();
  };
}

const USER_DATA_REF = { name: 'node-join', key: 'user-data' };

const CASES: readonly Case[] = [
  {
    name: 'standalone ${env.VAR} and ${file:PATH} references',
    accounts: (dir) => [
      { name: 'sim-env', type: 'sim', credentials: { apiKey: '${env.POLYFLEET_TEST_SIM_KEY}' } },
      { name: 'sim-file', type: 'sim', credentials: { apiKey: `\${file:${join(dir, 'sim-key')}}` } },
    ],
    source: () => standaloneCredentials({ env: { POLYFLEET_TEST_SIM_KEY: ENV_SECRET } }),
    canaries: [ENV_SECRET, FILE_SECRET],
    settled: strategyNames(['sim-env', 'sim-file'], (m) => {
      expect(m).toContain("check the account's credentials");
    }),
    calls: 'polyfleet_provider_requests_total{provider="sim",op="regions",code="auth"}',
  },
  {
    name: 'a cluster Secret the cloud refuses',
    accounts: () => [{ name: 'sim-secret', type: 'sim', credentialsSecretRef: { name: 'sim-creds' } }],
    source: () => clusterCredentials({ clock: systemClock, secrets: secretsOf({ [`${NS}/sim-creds`]: { type: CREDENTIALS_SECRET_TYPE, data: { apiKey: SECRET_SECRET, note: SECRET_SECRET } } }) }),
    canaries: [SECRET_SECRET],
    settled: strategyNames(['sim-secret'], (m) => {
      expect(m).toContain("check the account's credentials");
    }),
    calls: 'polyfleet_provider_requests_total{provider="sim",op="regions",code="auth"}',
  },
  {
    name: 'a cluster Secret of type Opaque (refused before any call)',
    accounts: () => [{ name: 'sim-opaque', type: 'sim', credentialsSecretRef: { name: 'tls-or-whatever' } }],
    source: () => clusterCredentials({ clock: systemClock, secrets: secretsOf({ [`${NS}/tls-or-whatever`]: { type: 'Opaque', data: { apiKey: OPAQUE_SECRET } } }) }),
    canaries: [OPAQUE_SECRET],
    settled: strategyNames(['sim-opaque'], (m) => {
      expect(m).toContain(`Secret ${NS}/tls-or-whatever (credentialsSecretRef) has type "Opaque"`);
    }),
    calls: 'none',
  },
  {
    name: 'an endpoint the operator did not allow (refused before any call)',
    accounts: () => [{ name: 'do-elsewhere', type: 'digitalocean', endpoint: 'http://127.0.0.1:9/v2', credentialsSecretRef: { name: 'do-token' } }],
    source: () => clusterCredentials({ clock: systemClock, secrets: secretsOf({ [`${NS}/do-token`]: { type: CREDENTIALS_SECRET_TYPE, data: { token: ENDPOINT_SECRET } } }) }),
    canaries: [ENDPOINT_SECRET],
    settled: strategyNames(['do-elsewhere'], (m) => {
      expect(m).toContain('endpoint host 127.0.0.1:9 is not allowed in this cluster');
    }),
    calls: 'none',
  },
  {
    name: 'a userDataSecretRef (used: only the instance gets it)',
    accounts: () => [{ name: 'sim-a', type: 'sim' }],
    source: () => clusterCredentials({ clock: systemClock, secrets: secretsOf({}) }),
    secrets: secretsOf({ [`${NS}/node-join`]: { type: CREDENTIALS_SECRET_TYPE, data: { 'user-data': USER_DATA_SECRET } } }),
    template: { userDataSecretRef: USER_DATA_REF },
    canaries: [USER_DATA_SECRET],
    inCloud: [USER_DATA_SECRET],
    settled: async ({ store }) => {
      const machine = await pollFor(async () => (await store.list('Machine', { namespace: NS })).find((m) => m.status?.instanceId !== undefined), 'the Machine to be launched');
      expect(machine.spec.userDataSecretRef).toEqual(USER_DATA_REF);
      expect(machine.spec.userData).toBeUndefined();
    },
    calls: 'polyfleet_provider_requests_total{provider="sim",op="create",code="ok"}',
  },
  {
    name: 'a userDataSecretRef to an Opaque Secret (refused: the Machine waits)',
    accounts: () => [{ name: 'sim-a', type: 'sim' }],
    source: () => clusterCredentials({ clock: systemClock, secrets: secretsOf({}) }),
    secrets: secretsOf({ [`${NS}/node-join`]: { type: 'Opaque', data: { 'user-data': OPAQUE_USER_DATA } } }),
    template: { userDataSecretRef: USER_DATA_REF },
    canaries: [OPAQUE_USER_DATA],
    settled: machineWaits((m) => {
      expect(m).toContain(`Secret ${NS}/node-join (userDataSecretRef) has type "Opaque"`);
    }),
    calls: 'polyfleet_provider_requests_total{provider="sim",op="regions",code="ok"}',
  },
  {
    name: 'a userDataSecretRef standalone (refused: the Machine waits)',
    accounts: () => [{ name: 'sim-a', type: 'sim' }],
    source: () => standaloneCredentials({ env: {} }),
    template: { userDataSecretRef: USER_DATA_REF },
    canaries: [],
    settled: machineWaits((m) => {
      expect(m).toContain('standalone, put the user data inline');
    }),
    calls: 'polyfleet_provider_requests_total{provider="sim",op="regions",code="ok"}',
  },
];

describe('secrets leave no trace of their values', () => {
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

  it.each(CASES)('from $name', async ({ accounts, source, secrets, template, canaries, inCloud = [], settled, calls }) => {
    const { log, lines } = capturingLogger();
    const statePath = join(dir, 'state.jsonl');
    const simDir = join(dir, 'sim');
    store = await openFileStore({ path: statePath, logger: log });
    const metrics = createMetrics();
    manager = new Manager({ store, log, metrics });
    const deps = buildDeps({ store, eventSink: store.eventSink(), log, metrics, simDir, managedBy: 'polyfleet-hygiene', credentials: source(dir), ...(secrets === undefined ? {} : { secrets }) });
    registerControllers(manager, deps);
    const strategy = testStrategy(NS, 'wrong-keys');
    await store.create({ ...strategy, spec: { ...strategy.spec, providers: accounts(dir) } });
    const pool = testNodePool(NS, 'workers', 'wrong-keys');
    await store.create({ ...pool, spec: { ...pool.spec, template: template ?? pool.spec.template } });
    await manager.start();

    await settled({ store, dir });
    const objects = [
      { kind: 'Strategy' as const, name: 'wrong-keys' },
      { kind: 'NodePool' as const, name: 'workers' },
      ...(await store.list('Machine', { namespace: NS })).map((m) => ({ kind: 'Machine' as const, name: m.metadata.name })),
    ];
    const events = (await Promise.all(objects.map((o) => store.eventSink().list({ ...o, namespace: NS })))).flat();
    await manager.stop();
    manager = undefined;
    await store.close();

    const state = await readFile(statePath, 'utf8');
    const logText = lines.map((l) => JSON.stringify(l)).join('\n');
    const metricsText = await metrics.registry.metrics();
    const cloud = await readTree(simDir);
    if (calls === 'none') expect(metricsText).not.toMatch(/^polyfleet_provider_requests_total\{/m);
    else expect(metricsText).toContain(calls);
    for (const canary of canaries) {
      expect(state).not.toContain(canary);
      expect(logText).not.toContain(canary);
      expect(metricsText).not.toContain(canary);
      expect(JSON.stringify(events)).not.toContain(canary);
      if (inCloud.includes(canary)) expect(cloud).toContain(JSON.stringify(canary));
      else expect(cloud).not.toContain(canary);
    }
  });
});

/** Every file under `root`, concatenated (the sim's instance records); empty if there is none. */
async function readTree(root: string): Promise<string> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  const texts = await Promise.all(entries.filter((e) => e.isFile()).map((e) => readFile(join(e.parentPath, e.name), 'utf8')));
  return texts.join('\n');
}

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
