// Cluster credentials on the real API server: the Secret source decodes what kubectl-style
// stringData stored and reads its type; a Strategy whose account names a missing Secret says so in
// its Ready condition (namespace, Secret, account — no value), and creating the Secret clears it; a
// Secret not of type polyfleet.io/credentials is refused by name and type, before any provider is
// made. Then `polyfleet controller` in its own process: an endpoint on its --allow-endpoint list is
// used and one off it is refused (naming host and flag, never called); a NodePool's
// userDataSecretRef reaches the instance and nothing else, and one naming an Opaque Secret leaves
// the Machine waiting with a condition that says why.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api, V1ObjectMeta, V1Secret } from '@kubernetes/client-node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { API_VERSION, type Machine, type Strategy } from '../../api/index.js';
import type { StrategySpec } from '../../api/index.js';
import { startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { createOfferingCatalog } from '../../controllers/offerings/index.js';
import { clusterCredentials, createProviderResolver, OfferingBackoff, type ControllerDeps, type ProviderResolver } from '../../controllers/shared/index.js';
import { reconcileStrategy } from '../../controllers/strategy/index.js';
import { listAllInstanceFiles } from '../../providers/sim/index.js';
import { systemClock } from '../../runtime/clock.js';
import { CREDENTIALS_SECRET_TYPE, KubeSecretReader } from '../../runtime/secrets/index.js';
import { KubeStore } from '../../runtime/store/kube/index.js';
import { startFakeDigitalOcean, type FakeDigitalOcean } from '../fakes/digitalocean/fake-digitalocean.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';
import { kubectlOk } from './kubectl.js';

const kubeConfig = loadKubeConfig();
const logger = pino({ level: 'warn' });

async function createSecret(namespace: string, name: string, stringData: Record<string, string>, type = CREDENTIALS_SECRET_TYPE): Promise<void> {
  const body = new V1Secret();
  body.metadata = new V1ObjectMeta();
  body.metadata.name = name;
  body.type = type;
  body.stringData = stringData;
  await kubeConfig.makeApiClient(CoreV1Api).createNamespacedSecret({ namespace, body });
}

const SIM_SPEC: StrategySpec = {
  pick: 'cheapest',
  providers: [{ name: 'sim-a', type: 'sim' }],
  hardware: { minCPU: 1, minMemoryGiB: 0, minDiskGiB: 0 },
  software: { os: 'ubuntu-24.04' },
};

describe('credentials from Secrets on the real API server', () => {
  const simDir = mkdtempSync(join(tmpdir(), 'polyfleet-secret-it-'));
  const store = new KubeStore({ kubeConfig, logger });
  const secrets = new KubeSecretReader(kubeConfig);
  // maxAgeMs 0: every reconcile reads the Secret again, as one 30 s later would.
  const resolver = createProviderResolver(clusterCredentials({ secrets, clock: systemClock, maxAgeMs: 0 }), { simDir });
  /** Providers handed out: a refused account gets none, so nothing can be sent with its Secret. */
  let handedOut = 0;
  const counting: ProviderResolver = {
    forAccount: async (namespace, account) => {
      const provider = await resolver.forAccount(namespace, account);
      handedOut++;
      return provider;
    },
  };
  const deps: ControllerDeps = {
    store,
    clock: systemClock,
    managedBy: 'polyfleet-secret-it',
    backoff: new OfferingBackoff(systemClock),
    recorder: { record() {} },
    providers: counting,
    catalog: createOfferingCatalog(systemClock),
  };
  const ctx = { log: logger, signal: new AbortController().signal, reconcileId: 'it' };
  let namespace = '';

  beforeAll(async () => {
    await applyCrds();
    namespace = await createNamespace(kubeConfig, 'secrets');
  }, 90_000);

  afterAll(async () => {
    await store.close();
    rmSync(simDir, { recursive: true, force: true });
  });

  const ready = async (name: string) => (await store.get('Strategy', { namespace, name }))?.status?.conditions?.find((c) => c.type === 'Ready');

  it('reads a Secret written with stringData back as strings with its type, a missing one as undefined, and no data of another type', async () => {
    const key = '{\n  "type": "service_account",\n  "project_id": "p-123456"\n}\n';
    await createSecret(namespace, 'gcp-key', { serviceAccountKey: key, accessToken: 'ya29.token' });
    await expect(secrets.read(namespace, 'gcp-key')).resolves.toEqual({ type: CREDENTIALS_SECRET_TYPE, data: { serviceAccountKey: key, accessToken: 'ya29.token' } });
    await createSecret(namespace, 'plain', { token: 'not-for-polyfleet' }, 'Opaque');
    await expect(secrets.read(namespace, 'plain')).resolves.toEqual({ type: 'Opaque', data: {} });
    await expect(secrets.read(namespace, 'no-such-secret')).resolves.toBeUndefined();
  });

  it('names namespace, Secret and account in the Strategy\'s condition until the Secret exists', async () => {
    const spec: StrategySpec = { ...SIM_SPEC, providers: [{ name: 'sim-a', type: 'sim', credentialsSecretRef: { name: 'sim-creds' } }] };
    await store.create({ apiVersion: API_VERSION, kind: 'Strategy', metadata: { name: 'needs-secret', namespace }, spec });
    const key = { namespace, name: 'needs-secret' };

    await reconcileStrategy(deps, ctx, key);
    expect(await ready('needs-secret')).toMatchObject({
      status: 'False',
      reason: 'NoOfferings',
      message: expect.stringContaining(`provider account "sim-a": Secret ${namespace}/sim-creds (credentialsSecretRef) does not exist`) as unknown,
    });

    await createSecret(namespace, 'sim-creds', { apiKey: 'sim-it-key' });
    await reconcileStrategy(deps, ctx, key);
    expect(await ready('needs-secret')).toMatchObject({ status: 'True', reason: 'OfferingsResolved' });
  });

  it('refuses an Opaque Secret by name and type, saying how to recreate it, and makes no provider with it', async () => {
    // A key the sim would accept: only the type stands between it and the cloud.
    await createSecret(namespace, 'opaque-creds', { apiKey: 'sim-opaque-but-valid' }, 'Opaque');
    const spec: StrategySpec = { ...SIM_SPEC, providers: [{ name: 'sim-a', type: 'sim', credentialsSecretRef: { name: 'opaque-creds' } }] };
    await store.create({ apiVersion: API_VERSION, kind: 'Strategy', metadata: { name: 'opaque', namespace }, spec });
    const before = handedOut;

    await reconcileStrategy(deps, ctx, { namespace, name: 'opaque' });
    const condition = await ready('opaque');
    expect(condition).toMatchObject({ status: 'False', reason: 'NoOfferings' });
    expect(condition?.message).toContain(`provider account "sim-a": Secret ${namespace}/opaque-creds (credentialsSecretRef) has type "Opaque"`);
    expect(condition?.message).toContain(`kubectl create secret generic opaque-creds --type=${CREDENTIALS_SECRET_TYPE}`);
    expect(condition?.message).not.toContain('sim-opaque-but-valid');
    expect(handedOut).toBe(before);
  });
});

describe('polyfleet controller: endpoints it was allowed, and userDataSecretRef, on the real API server', () => {
  const USER_DATA = '#cloud-config\nruncmd: [echo join-token-it-6b2d94]\n';
  const OPAQUE_USER_DATA = '#cloud-config\nruncmd: [echo opaque-token-it-a83f17]\n';
  let namespace = '';
  let dir = '';
  let simDir = '';
  let digitalocean: FakeDigitalOcean | undefined;
  let trap: Server | undefined;
  let trapped = 0;
  let controller: BackgroundPolyfleet | undefined;

  beforeAll(async () => {
    await applyCrds();
    namespace = await createNamespace(kubeConfig, 'secrets-ctl');
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-secret-ctl-'));
    simDir = join(dir, 'sim');
    digitalocean = await startFakeDigitalOcean();
    // Any request at all here is a failure: its endpoint was not allowed.
    trap = createServer((_req, res) => {
      trapped++;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => trap?.listen(0, '127.0.0.1', resolve));
  }, 90_000);

  afterAll(async () => {
    controller?.child.kill('SIGKILL');
    await controller?.exited;
    await digitalocean?.stop();
    await new Promise((resolve) => trap?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const strategyReady = async (name: string) =>
    (JSON.parse(await kubectlOk(['get', 'strategy', name, '-n', namespace, '-o', 'json'])) as Strategy).status?.conditions?.find((c) => c.type === 'Ready');
  const poolMachines = async (pool: string): Promise<Machine[]> =>
    (JSON.parse(await kubectlOk(['get', 'machines', '-n', namespace, '-l', `polyfleet.io/pool=${pool}`, '-o', 'json'])) as { items: Machine[] }).items;

  it('uses an allowed endpoint, refuses another naming host and flag, and gives the user data only to the instance', async () => {
    if (digitalocean === undefined || trap === undefined) throw new Error('the test servers did not start');
    const doPort = new URL(digitalocean.endpoint).port;
    const trapPort = (trap.address() as AddressInfo).port;
    await createSecret(namespace, 'do-token', { token: digitalocean.token });
    await createSecret(namespace, 'node-join', { 'user-data': USER_DATA });
    await createSecret(namespace, 'node-join-opaque', { 'user-data': OPAQUE_USER_DATA }, 'Opaque');
    const doSpec = (endpoint: string): StrategySpec => ({
      ...SIM_SPEC,
      providers: [{ name: 'do', type: 'digitalocean', endpoint, credentialsSecretRef: { name: 'do-token' }, regions: ['nyc3'] }],
    });
    const pool = (name: string, secret: string) => ({
      apiVersion: API_VERSION,
      kind: 'NodePool',
      metadata: { name },
      spec: { replicas: 1, strategyRef: { name: 'sim' }, template: { userDataSecretRef: { name: secret, key: 'user-data' } } },
    });
    const manifests = [
      { apiVersion: API_VERSION, kind: 'Strategy', metadata: { name: 'do-allowed' }, spec: doSpec(digitalocean.endpoint) },
      { apiVersion: API_VERSION, kind: 'Strategy', metadata: { name: 'do-elsewhere' }, spec: doSpec(`http://127.0.0.1:${trapPort}`) },
      { apiVersion: API_VERSION, kind: 'Strategy', metadata: { name: 'sim' }, spec: SIM_SPEC },
      pool('joined', 'node-join'),
      pool('opaque-join', 'node-join-opaque'),
    ];
    const file = join(dir, 'manifests.yaml');
    writeFileSync(file, manifests.map((m) => stringify(m)).join('---\n'));
    await kubectlOk(['apply', '-n', namespace, '-f', file]);

    // The port pinned: the same host on another port is not allowed.
    const argv = ['controller', '--namespace', namespace, '--no-leader-elect', '--allow-endpoint', `127.0.0.1:${doPort}`, '--port', '0', '--sim-dir', simDir, '--log-level', 'debug'];
    controller = startPolyfleet(dir, argv);

    await eventually(() => strategyReady('do-allowed'), (c) => c?.status === 'True', 'the allowed endpoint\'s Strategy Ready', 60_000);
    const refused = await eventually(() => strategyReady('do-elsewhere'), (c) => c?.status === 'False', 'the other endpoint\'s Strategy refused', 60_000);
    expect(refused?.message).toContain(`provider account "do": endpoint host 127.0.0.1:${trapPort} is not allowed in this cluster`);
    expect(refused?.message).toContain(`polyfleet controller with --allow-endpoint 127.0.0.1 (or --allow-endpoint 127.0.0.1:${trapPort} to allow that port only)`);
    expect(trapped).toBe(0);

    const [joined] = await eventually(() => poolMachines('joined'), (ms) => ms.length === 1 && ms[0]?.status?.instanceId !== undefined, 'the joined pool\'s Machine launched', 60_000);
    expect(joined?.spec.userDataSecretRef).toEqual({ name: 'node-join', key: 'user-data' });
    const records = await listAllInstanceFiles(simDir);
    expect(records.find((f) => f.record.id === joined?.status?.instanceId)?.record.userData).toBe(USER_DATA);

    const [waiting] = await eventually(
      () => poolMachines('opaque-join'),
      (ms) => ms[0]?.status?.conditions?.some((c) => c.type === 'Launched' && c.status === 'False') === true,
      'the opaque pool\'s Machine to say why it waits',
      60_000,
    );
    expect(waiting?.status?.instanceId).toBeUndefined();
    expect(waiting?.status?.conditions?.find((c) => c.type === 'Launched')?.message).toContain(
      `Secret ${namespace}/node-join-opaque (userDataSecretRef) has type "Opaque"; polyfleet uses only Secrets of type "${CREDENTIALS_SECRET_TYPE}"`,
    );

    const machinesText = await kubectlOk(['get', 'machines', '-n', namespace, '-o', 'json']);
    const poolsText = await kubectlOk(['get', 'nodepools', '-n', namespace, '-o', 'json']);
    const eventsText = await kubectlOk(['get', 'events', '-n', namespace, '-o', 'json']);
    const logs = `${controller.stdout()}${controller.stderr()}`;
    for (const canary of ['join-token-it-6b2d94', 'opaque-token-it-a83f17', digitalocean.token]) {
      for (const text of [machinesText, poolsText, eventsText, logs]) expect(text).not.toContain(canary);
    }
    expect(JSON.stringify((await listAllInstanceFiles(simDir)).map((f) => f.record))).not.toContain('opaque-token-it-a83f17');

    const proc = controller;
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    controller = undefined;
  }, 180_000);
});
