// Cluster credentials on the real API server: the Secret source decodes what kubectl-style
// stringData stored, a Strategy whose account names a missing Secret says so in its Ready
// condition (namespace, Secret, account — no value), and creating the Secret clears it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api, V1ObjectMeta, V1Secret } from '@kubernetes/client-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { API_VERSION } from '../../api/index.js';
import type { StrategySpec } from '../../api/index.js';
import { createOfferingCatalog } from '../../controllers/offerings/index.js';
import { clusterCredentials, createProviderResolver, OfferingBackoff, type ControllerDeps } from '../../controllers/shared/index.js';
import { reconcileStrategy } from '../../controllers/strategy/index.js';
import { systemClock } from '../../runtime/clock.js';
import { KubeSecretReader } from '../../runtime/secrets/index.js';
import { KubeStore } from '../../runtime/store/kube/index.js';
import { applyCrds, createNamespace, loadKubeConfig } from './cluster.js';

const kubeConfig = loadKubeConfig();
const logger = pino({ level: 'warn' });

async function createSecret(namespace: string, name: string, stringData: Record<string, string>): Promise<void> {
  const body = new V1Secret();
  body.metadata = new V1ObjectMeta();
  body.metadata.name = name;
  body.stringData = stringData;
  await kubeConfig.makeApiClient(CoreV1Api).createNamespacedSecret({ namespace, body });
}

describe('credentials from Secrets on the real API server', () => {
  const simDir = mkdtempSync(join(tmpdir(), 'polyfleet-secret-it-'));
  const store = new KubeStore({ kubeConfig, logger });
  const secrets = new KubeSecretReader(kubeConfig);
  const deps: ControllerDeps = {
    store,
    clock: systemClock,
    managedBy: 'polyfleet-secret-it',
    backoff: new OfferingBackoff(systemClock),
    recorder: { record() {} },
    // maxAgeMs 0: every reconcile reads the Secret again, as one 30 s later would.
    providers: createProviderResolver(clusterCredentials({ secrets, clock: systemClock, maxAgeMs: 0 }), { simDir }),
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

  it('reads a Secret written with stringData back as strings, and a missing one as undefined', async () => {
    const key = '{\n  "type": "service_account",\n  "project_id": "p-123456"\n}\n';
    await createSecret(namespace, 'gcp-key', { serviceAccountKey: key, accessToken: 'ya29.token' });
    await expect(secrets.read(namespace, 'gcp-key')).resolves.toEqual({ serviceAccountKey: key, accessToken: 'ya29.token' });
    await expect(secrets.read(namespace, 'no-such-secret')).resolves.toBeUndefined();
  });

  it('names namespace, Secret and account in the Strategy\'s condition until the Secret exists', async () => {
    const spec: StrategySpec = {
      pick: 'cheapest',
      providers: [{ name: 'sim-a', type: 'sim', credentialsSecretRef: { name: 'sim-creds' } }],
      hardware: { minCPU: 1, minMemoryGiB: 0, minDiskGiB: 0 },
      software: { os: 'ubuntu-24.04' },
    };
    await store.create({ apiVersion: API_VERSION, kind: 'Strategy', metadata: { name: 'needs-secret', namespace }, spec });
    const key = { namespace, name: 'needs-secret' };
    const ready = async () => (await store.get('Strategy', key))?.status?.conditions?.find((c) => c.type === 'Ready');

    await reconcileStrategy(deps, ctx, key);
    expect(await ready()).toMatchObject({
      status: 'False',
      reason: 'NoOfferings',
      message: expect.stringContaining(`provider account "sim-a": Secret ${namespace}/sim-creds (credentialsSecretRef) does not exist`) as unknown,
    });

    await createSecret(namespace, 'sim-creds', { apiKey: 'sim-it-key' });
    await reconcileStrategy(deps, ctx, key);
    expect(await ready()).toMatchObject({ status: 'True', reason: 'OfferingsResolved' });
  });
});
