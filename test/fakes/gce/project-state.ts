import { randomInt } from 'node:crypto';
import { API_ROOT, imageArch, machineTypeArch, machineTypesIn, resolveImage } from './catalogue.js';
import { HttpError, invalid, notFound, operationFailure } from './google-errors.js';

/**
 * One project's instances and zone operations. Operations move PENDING → RUNNING → DONE, one step
 * per poll (get or wait), as real ones do over seconds; an instance is PROVISIONING, then STAGING,
 * then RUNNING as time passes, and a deleted one is STOPPING until it is gone. A requestId seen
 * before returns its first operation, whatever the new request says (as GCE dedupes them).
 */

export type InsertFailure = 'capacity' | 'quota';

interface OperationRecord {
  readonly name: string;
  readonly id: string;
  readonly type: 'insert' | 'delete' | 'stop' | 'suspend' | 'compute.instances.preempted';
  readonly zone: string;
  readonly target: string;
  readonly targetId: string;
  readonly insertTime: string;
  status: 'PENDING' | 'RUNNING' | 'DONE';
  endTime?: string;
  readonly failure?: InsertFailure;
}

interface InstanceRecord {
  readonly id: string;
  readonly name: string;
  readonly zone: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly createdAtMs: number;
  readonly ip: number;
  deletedAtMs?: number;
  /** A stop or suspend: STOPPING/SUSPENDING for one step, then TERMINATED/SUSPENDED until deleted. */
  halted?: { readonly how: 'stop' | 'suspend'; readonly atMs: number };
}

const RFC1035 = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class ProjectState {
  private readonly instances = new Map<string, InstanceRecord>();
  private readonly operations = new Map<string, OperationRecord>();
  private readonly requests = new Map<string, string>();
  private seq = 0;

  constructor(
    readonly project: string,
    private readonly stepMs: number,
    private readonly now: () => number,
  ) {}

  insert(zone: string, body: Record<string, unknown>, requestId: string | null, failure: InsertFailure | undefined): Record<string, unknown> {
    const replay = this.replay(requestId);
    if (replay !== undefined) return replay;
    const name = typeof body.name === 'string' ? body.name : '';
    if (!RFC1035.test(name)) throw invalid('resource.name', name, "Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'");
    const machineType = this.checkMachineType(zone, body.machineType);
    const image = this.checkImage(body.disks);
    if (imageArch(image) !== machineTypeArch(machineType)) {
      throw new HttpError(400, 'invalid', `Invalid resource usage: 'Requested boot disk architecture (${imageArch(image)}) is not compatible with machine type architecture (${machineTypeArch(machineType)}).'`);
    }
    this.checkLabels(body.labels);
    this.checkScheduling(body.scheduling);
    const key = `${zone}/${name}`;
    this.expire();
    if (this.instances.has(key)) throw new HttpError(409, 'alreadyExists', `The resource 'projects/${this.project}/zones/${zone}/instances/${name}' already exists`);
    const id = this.nextId();
    // No Spot capacity: GCE fails the insert's operation as it does for any exhausted zone.
    const failed = failure ?? (this.spotExhausted && (body.scheduling as Record<string, unknown> | undefined)?.provisioningModel === 'SPOT' ? 'capacity' : undefined);
    if (failed === undefined) this.instances.set(key, { id, name, zone, body, createdAtMs: this.now(), ip: ++this.seq });
    return this.startOperation('insert', zone, name, id, requestId, failed);
  }

  delete(zone: string, name: string, requestId: string | null): Record<string, unknown> {
    const replay = this.replay(requestId);
    if (replay !== undefined) return replay;
    const instance = this.find(zone, name);
    if (instance === undefined) throw notFound(`projects/${this.project}/zones/${zone}/instances/${name}`);
    instance.deletedAtMs ??= this.now();
    return this.startOperation('delete', zone, name, instance.id, requestId, undefined);
  }

  /**
   * Stops (instances.stop) or suspends (instances.suspend) the instance, not deletes it: STOPPING
   * (SUSPENDING), then TERMINATED (SUSPENDED), kept with its disks until deleted, as GCE does. A
   * second stop of a halted instance is one more operation that changes nothing.
   */
  halt(how: 'stop' | 'suspend', zone: string, name: string, requestId: string | null): Record<string, unknown> {
    const replay = this.replay(requestId);
    if (replay !== undefined) return replay;
    const instance = this.find(zone, name);
    if (instance === undefined) throw notFound(`projects/${this.project}/zones/${zone}/instances/${name}`);
    instance.halted ??= { how, atMs: this.now() };
    return this.startOperation(how, zone, name, instance.id, requestId, undefined);
  }

  /**
   * Compute Engine preempts a Spot VM (it wants the capacity back): with instanceTerminationAction
   * DELETE the instance is deleted (STOPPING, then gone), with STOP it is stopped; either way a
   * `compute.instances.preempted` operation records it. False for an instance that is not Spot or not live.
   */
  /** While true, every Spot insert fails with ZONE_RESOURCE_POOL_EXHAUSTED (standard ones do not). */
  spotExhausted = false;

  preempt(zone: string, name: string): boolean {
    const instance = this.find(zone, name);
    const scheduling = (instance?.body.scheduling ?? {}) as Record<string, unknown>;
    if (instance === undefined || scheduling.provisioningModel !== 'SPOT' || instance.deletedAtMs !== undefined || instance.halted !== undefined) return false;
    if (scheduling.instanceTerminationAction === 'DELETE') instance.deletedAtMs = this.now();
    else instance.halted = { how: 'stop', atMs: this.now() };
    // A system event, not a request: GCE records it already DONE, as zoneOperations.list shows it.
    const op = this.operations.get(String(this.startOperation('compute.instances.preempted', zone, name, instance.id, null, undefined).name));
    if (op !== undefined) {
      op.status = 'DONE';
      op.endTime = op.insertTime;
    }
    return true;
  }

  /** zoneOperations.list: the zone's operations in the order they started, those of `operationType` and `targetLink` when given. */
  operationsIn(zone: string, match: { readonly operationType?: string; readonly targetLink?: string }): Record<string, unknown>[] {
    return [...this.operations.values()]
      .filter((op) => op.zone === zone)
      .map((op) => this.operationJson(op))
      .filter((op) => (match.operationType === undefined || op.operationType === match.operationType) && (match.targetLink === undefined || op.targetLink === match.targetLink));
  }

  get(zone: string, name: string): Record<string, unknown> {
    const instance = this.find(zone, name);
    if (instance === undefined) throw notFound(`projects/${this.project}/zones/${zone}/instances/${name}`);
    return this.instanceJson(instance);
  }

  /** Every instance, in a stable order (zone, then name), for lists and their pages. */
  all(): Record<string, unknown>[] {
    this.expire();
    return [...this.instances.values()].sort((a, b) => a.zone.localeCompare(b.zone) || a.name.localeCompare(b.name)).map((i) => this.instanceJson(i));
  }

  /** The operation after one more step (a poll), as get and wait return it. */
  poll(zone: string, name: string): Record<string, unknown> {
    const op = this.operations.get(name);
    if (op === undefined || op.zone !== zone) throw notFound(`projects/${this.project}/zones/${zone}/operations/${name}`);
    if (op.status === 'PENDING') op.status = 'RUNNING';
    else if (op.status === 'RUNNING') {
      op.status = 'DONE';
      op.endTime = new Date(this.now()).toISOString();
    }
    return this.operationJson(op);
  }

  private replay(requestId: string | null): Record<string, unknown> | undefined {
    if (requestId === null) return undefined;
    if (!UUID.test(requestId) || requestId === '00000000-0000-0000-0000-000000000000') throw invalid('requestId', requestId, 'Must be a UUID.');
    const seen = this.requests.get(requestId);
    const op = seen === undefined ? undefined : this.operations.get(seen);
    return op === undefined ? undefined : this.operationJson(op);
  }

  private startOperation(type: OperationRecord['type'], zone: string, target: string, targetId: string, requestId: string | null, failure: InsertFailure | undefined): Record<string, unknown> {
    const op: OperationRecord = { name: `operation-${this.now()}-${this.nextId()}`, id: this.nextId(), type, zone, target, targetId, insertTime: new Date(this.now()).toISOString(), status: 'PENDING', ...(failure === undefined ? {} : { failure }) };
    this.operations.set(op.name, op);
    if (requestId !== null) this.requests.set(requestId, op.name);
    return this.operationJson(op);
  }

  private find(zone: string, name: string): InstanceRecord | undefined {
    this.expire();
    return this.instances.get(`${zone}/${name}`);
  }

  /** Deleted instances vanish one step after their delete started. */
  private expire(): void {
    for (const [key, instance] of this.instances) {
      if (instance.deletedAtMs !== undefined && this.now() - instance.deletedAtMs >= this.stepMs) this.instances.delete(key);
    }
  }

  private nextId(): string {
    return `${randomInt(1, 2 ** 47)}${String(++this.seq).padStart(4, '0')}`;
  }

  private checkMachineType(zone: string, machineType: unknown): string {
    const value = typeof machineType === 'string' ? machineType : '';
    const type = /(?:^|\/)zones\/([^/]+)\/machineTypes\/([^/]+)$/.exec(value);
    if (type?.[1] !== zone || !machineTypesIn(zone).some((t) => t.name === type[2])) {
      throw invalid('resource.machineType', value, `Machine type with name '${type?.[2] ?? value}' does not exist in zone '${zone}'.`);
    }
    return type[2] ?? '';
  }

  /** The boot image's name. */
  private checkImage(disks: unknown): string {
    const boot = Array.isArray(disks) ? (disks[0] as { initializeParams?: { sourceImage?: unknown } } | undefined) : undefined;
    const source = boot?.initializeParams?.sourceImage;
    if (typeof source !== 'string') throw invalid('resource.disks[0].initializeParams.sourceImage', '', 'A boot disk with a source image is required.');
    const image = resolveImage(source);
    if (image === undefined) throw notFound(source.replace(/^.*?(projects\/)/, '$1'));
    return image.name;
  }

  private checkLabels(labels: unknown): void {
    for (const [key, value] of Object.entries((labels ?? {}) as Record<string, unknown>)) {
      if (!LABEL_KEY.test(key) || typeof value !== 'string' || !LABEL_VALUE.test(value)) {
        throw invalid(`resource.labels`, `${key}=${String(value)}`, 'Label keys and values must match [a-z0-9_-], at most 63 characters, keys starting with a letter.');
      }
    }
  }

  /** What instances.insert checks of a Spot VM's scheduling (https://cloud.google.com/compute/docs/instances/create-use-spot). */
  private checkScheduling(scheduling: unknown): void {
    if (scheduling === undefined) return;
    const s = (scheduling ?? {}) as Record<string, unknown>;
    const model = s.provisioningModel ?? 'STANDARD';
    if (model !== 'STANDARD' && model !== 'SPOT') throw invalid('resource.scheduling.provisioningModel', JSON.stringify(model), 'Must be STANDARD or SPOT.');
    if (model !== 'SPOT') return;
    if (s.automaticRestart === true) throw invalid('resource.scheduling.automaticRestart', 'true', 'Spot VMs cannot be restarted automatically.');
    if (s.onHostMaintenance === 'MIGRATE') throw invalid('resource.scheduling.onHostMaintenance', 'MIGRATE', 'Spot VMs must terminate on host maintenance.');
    const action = s.instanceTerminationAction;
    if (action !== undefined && action !== 'STOP' && action !== 'DELETE') throw invalid('resource.scheduling.instanceTerminationAction', JSON.stringify(action), 'Must be STOP or DELETE.');
  }

  /** The scheduling GCE shows: what was asked, over its defaults (a Spot VM's termination action defaults to STOP). */
  private schedulingJson(asked: unknown): Record<string, unknown> {
    const s = (asked ?? {}) as Record<string, unknown>;
    if (s.provisioningModel === 'SPOT') return { onHostMaintenance: 'TERMINATE', automaticRestart: false, preemptible: false, instanceTerminationAction: 'STOP', ...s };
    return { onHostMaintenance: 'MIGRATE', automaticRestart: true, preemptible: false, provisioningModel: 'STANDARD', ...s };
  }

  private statusOf(instance: InstanceRecord): string {
    if (instance.deletedAtMs !== undefined) return 'STOPPING';
    if (instance.halted !== undefined) {
      const done = this.now() - instance.halted.atMs >= this.stepMs;
      if (instance.halted.how === 'stop') return done ? 'TERMINATED' : 'STOPPING';
      return done ? 'SUSPENDED' : 'SUSPENDING';
    }
    const age = this.now() - instance.createdAtMs;
    return age < this.stepMs ? 'PROVISIONING' : age < 2 * this.stepMs ? 'STAGING' : 'RUNNING';
  }

  private instanceJson(instance: InstanceRecord): Record<string, unknown> {
    const status = this.statusOf(instance);
    const zoneUrl = `${API_ROOT}/projects/${this.project}/zones/${instance.zone}`;
    const { disks: _disks, networkInterfaces: _nics, ...rest } = instance.body;
    const octets = [Math.floor(instance.ip / 250) % 250, (instance.ip % 250) + 2];
    return {
      ...rest,
      kind: 'compute#instance',
      id: instance.id,
      creationTimestamp: new Date(instance.createdAtMs).toISOString(),
      name: instance.name,
      status,
      scheduling: this.schedulingJson(instance.body.scheduling),
      zone: zoneUrl,
      machineType: `${zoneUrl}/machineTypes/${String(instance.body.machineType).replace(/^.*\//, '')}`,
      networkInterfaces: [
        {
          kind: 'compute#networkInterface',
          name: 'nic0',
          network: `${API_ROOT}/projects/${this.project}/global/networks/default`,
          networkIP: `10.128.${octets[0]}.${octets[1]}`,
          ...(status === 'PROVISIONING' ? {} : { accessConfigs: [{ kind: 'compute#accessConfig', type: 'ONE_TO_ONE_NAT', name: 'External NAT', natIP: `34.118.${octets[0]}.${octets[1]}` }] }),
        },
      ],
      disks: [{ kind: 'compute#attachedDisk', boot: true, autoDelete: true, deviceName: 'boot', source: `${zoneUrl}/disks/${instance.name}` }],
      selfLink: `${zoneUrl}/instances/${instance.name}`,
    };
  }

  private operationJson(op: OperationRecord): Record<string, unknown> {
    const zoneUrl = `${API_ROOT}/projects/${this.project}/zones/${op.zone}`;
    return {
      kind: 'compute#operation',
      id: op.id,
      name: op.name,
      zone: zoneUrl,
      operationType: op.type,
      targetLink: `${zoneUrl}/instances/${op.target}`,
      targetId: op.targetId,
      status: op.status,
      user: 'polyfleet@fake.iam.gserviceaccount.com',
      progress: op.status === 'DONE' ? 100 : 0,
      insertTime: op.insertTime,
      ...(op.status === 'PENDING' ? {} : { startTime: op.insertTime }),
      ...(op.endTime === undefined ? {} : { endTime: op.endTime }),
      ...(op.status === 'DONE' && op.failure !== undefined ? operationFailure(op.failure, op.zone, this.project) : {}),
      selfLink: `${zoneUrl}/operations/${op.name}`,
    };
  }
}
