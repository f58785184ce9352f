import { describeProviderContract } from '../../providers/contract.js';
import type { InjectableOp } from '../../providers/contract.js';
import { GcpProvider } from '../../providers/gcp/index.js';
import type { GcpProviderOptions } from '../../providers/gcp/index.js';
import { startFakeGce } from '../fakes/gce/index.js';
import type { FakeGceMethod } from '../fakes/gce/index.js';

// Nothing here may ask the metadata server for credentials; if anything tried, it would fail at once.
process.env.GCE_METADATA_HOST = '127.0.0.1:9';

const PAGE_SIZE = 3;

const METHODS: Readonly<Record<InjectableOp, FakeGceMethod>> = {
  create: 'instances.insert',
  get: 'instances.get',
  list: 'instances.aggregatedList',
  delete: 'instances.delete',
  offerings: 'machineTypes.list',
};

describeProviderContract('gcp', {
  pageSize: PAGE_SIZE,
  missingInstanceId: 'us-central1-a/pf-0000000000000000000000000000000000000000-a1',
  // GCE dedupes inserts by requestId, and instance names are unique per zone.
  atomicIdempotency: true,
  // GCE forgets a deleted instance, but remembers the insert operation of its requestId.
  keepsDeletedInstances: true,
  async open() {
    const gce = await startFakeGce();
    const options = (accessToken: string): GcpProviderOptions => ({
      account: 'gcp-contract',
      project: gce.project,
      endpoint: gce.endpoint,
      credentials: { accessToken },
      pageSize: PAGE_SIZE,
    });
    return {
      provider: new GcpProvider(options(gce.accessToken)),
      inject: (op, kind) => {
        gce.inject(METHODS[op], kind);
      },
      withCredential: (secret) => new GcpProvider(options(secret)),
      reopen: () => new GcpProvider(options(gce.accessToken)),
      close: () => gce.stop(),
    };
  },
});
