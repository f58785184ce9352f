import type { InjectableOp, ProviderHarness } from '../../../providers/contract.js';
import { GcpProvider } from '../../../providers/gcp/index.js';
import type { GcpProviderOptions } from '../../../providers/gcp/index.js';
import { newServiceAccount } from './auth.js';
import { startFakeGce } from './fake-gce.js';
import type { FakeGce, FakeGceMethod } from './fake-gce.js';

/** The contract's injectable calls, as the GCE methods the adapter makes for them. */
const METHODS: Readonly<Record<InjectableOp, FakeGceMethod>> = {
  create: 'instances.insert',
  get: 'instances.get',
  list: 'instances.aggregatedList',
  delete: 'instances.delete',
  offerings: 'machineTypes.list',
};

export type GceCredentialKind = 'accessToken' | 'serviceAccountKey';

/** The adapter's options for an account on `gce`, authenticated one way or the other. */
export function gcpOptions(gce: FakeGce, kind: GceCredentialKind, over: Partial<GcpProviderOptions> = {}): GcpProviderOptions {
  return {
    account: 'gcp-contract',
    endpoint: gce.endpoint,
    ...(kind === 'accessToken' ? { project: gce.project, credentials: { accessToken: gce.accessToken } } : { credentials: { serviceAccountKey: gce.serviceAccount.keyJson } }),
    ...over,
  };
}

/** A key of the same service account signed by a key the fake never issued, with `secret` as its key id. */
function foreignKey(gce: FakeGce, secret: string): string {
  const issued = JSON.parse(gce.serviceAccount.keyJson) as Record<string, string>;
  const other = JSON.parse(newServiceAccount(gce.project, 'foreign').account.keyJson) as Record<string, string>;
  return JSON.stringify({ ...issued, private_key_id: secret, private_key: other.private_key });
}

/**
 * instances.stop of an instance by its Instance id (zone/name), through the fake's REST API as a
 * person or another tool would: resolves once GCE took the stop (its operation started).
 */
export async function stopInstance(gce: FakeGce, instanceId: string): Promise<void> {
  const [zone, name] = instanceId.split('/');
  const url = `${gce.endpoint}/compute/v1/projects/${gce.project}/zones/${zone ?? ''}/instances/${name ?? ''}/stop`;
  const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${gce.accessToken}` } });
  if (response.status !== 200) throw new Error(`instances.stop ${instanceId} answered ${response.status}: ${await response.text()}`);
}

/** The contract harness of the gcp adapter on a fresh fake Compute Engine per test. */
export function gcpHarness(kind: GceCredentialKind, pageSize: number): ProviderHarness {
  return {
    pageSize,
    missingInstanceId: 'us-central1-a/pf-0000000000000000000000000000000000000000-a1',
    // GCE forgets a deleted instance but remembers its insert operation under the requestId.
    keepsDeletedInstances: true,
    async open() {
      const gce = await startFakeGce();
      const options = gcpOptions(gce, kind, { pageSize });
      return {
        provider: new GcpProvider(options),
        inject: (op, fault) => {
          gce.inject(METHODS[op], fault);
        },
        withCredential: (secret) =>
          new GcpProvider({ ...options, credentials: kind === 'accessToken' ? { accessToken: secret } : { serviceAccountKey: foreignKey(gce, secret) } }),
        reopen: () => new GcpProvider(options),
        stop: (instanceId) => stopInstance(gce, instanceId),
        close: () => gce.stop(),
      };
    },
  };
}
