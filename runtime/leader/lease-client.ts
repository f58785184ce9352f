import { CoordinationV1Api, V1Lease, V1LeaseSpec, V1MicroTime, V1ObjectMeta, type KubeConfig } from '@kubernetes/client-node';

/** The fields of a coordination.k8s.io/v1 Lease that leader election reads and writes. */
export interface LeaseRecord {
  /** Empty: nobody holds it (released). */
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  readonly acquireTime: Date;
  readonly renewTime: Date;
  readonly leaseTransitions: number;
}

export interface VersionedLease {
  readonly record: LeaseRecord;
  readonly resourceVersion: string;
}

/** Someone else wrote the Lease first (409): the attempt lost the race, which is no error. */
export class LeaseConflictError extends Error {
  constructor(namespace: string, name: string, options?: ErrorOptions) {
    super(`Lease ${namespace}/${name} was written by someone else first`, options);
    this.name = 'LeaseConflictError';
  }
}

/** One Lease, read and written with optimistic concurrency on its resourceVersion. */
export interface LeaseClient {
  readonly description: string;
  get(): Promise<VersionedLease | undefined>;
  /** Throws LeaseConflictError if it exists. */
  create(record: LeaseRecord): Promise<VersionedLease>;
  /** Throws LeaseConflictError if it changed since `resourceVersion`. */
  update(record: LeaseRecord, resourceVersion: string): Promise<VersionedLease>;
}

const FIELD_MANAGER = 'polyfleet';

function statusCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** A Lease on the Kubernetes API. */
export class KubeLeaseClient implements LeaseClient {
  private readonly api: CoordinationV1Api;
  readonly description: string;

  constructor(
    kubeConfig: KubeConfig,
    private readonly namespace: string,
    private readonly name: string,
  ) {
    this.api = kubeConfig.makeApiClient(CoordinationV1Api);
    this.description = `Lease ${namespace}/${name}`;
  }

  async get(): Promise<VersionedLease | undefined> {
    try {
      return fromLease(await this.api.readNamespacedLease({ namespace: this.namespace, name: this.name }));
    } catch (error) {
      if (statusCode(error) === 404) return undefined;
      throw error;
    }
  }

  create(record: LeaseRecord): Promise<VersionedLease> {
    return this.write(() =>
      this.api.createNamespacedLease({ namespace: this.namespace, body: this.toLease(record, undefined), fieldManager: FIELD_MANAGER }),
    );
  }

  update(record: LeaseRecord, resourceVersion: string): Promise<VersionedLease> {
    return this.write(() =>
      this.api.replaceNamespacedLease({
        namespace: this.namespace,
        name: this.name,
        body: this.toLease(record, resourceVersion),
        fieldManager: FIELD_MANAGER,
      }),
    );
  }

  private async write(send: () => Promise<V1Lease>): Promise<VersionedLease> {
    try {
      return fromLease(await send());
    } catch (error) {
      if (statusCode(error) === 409) throw new LeaseConflictError(this.namespace, this.name, { cause: error });
      throw error;
    }
  }

  private toLease(record: LeaseRecord, resourceVersion: string | undefined): V1Lease {
    const metadata = new V1ObjectMeta();
    metadata.name = this.name;
    metadata.namespace = this.namespace;
    metadata.resourceVersion = resourceVersion;
    const spec = new V1LeaseSpec();
    spec.holderIdentity = record.holderIdentity;
    spec.leaseDurationSeconds = record.leaseDurationSeconds;
    // MicroTime: the API server wants six fractional digits, which V1MicroTime writes.
    spec.acquireTime = new V1MicroTime(record.acquireTime.getTime());
    spec.renewTime = new V1MicroTime(record.renewTime.getTime());
    spec.leaseTransitions = record.leaseTransitions;
    const lease = new V1Lease();
    lease.metadata = metadata;
    lease.spec = spec;
    return lease;
  }
}

/** Times arrive as strings whatever the generated types say; `new Date` takes both. */
function fromLease(lease: V1Lease): VersionedLease {
  const spec = lease.spec;
  const epoch = new Date(0);
  return {
    resourceVersion: lease.metadata?.resourceVersion ?? '',
    record: {
      holderIdentity: spec?.holderIdentity ?? '',
      leaseDurationSeconds: spec?.leaseDurationSeconds ?? 0,
      acquireTime: spec?.acquireTime === undefined ? epoch : new Date(spec.acquireTime),
      renewTime: spec?.renewTime === undefined ? epoch : new Date(spec.renewTime),
      leaseTransitions: spec?.leaseTransitions ?? 0,
    },
  };
}
