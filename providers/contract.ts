import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { instanceProblems, offeringProblems, regionProblems } from './contract-checks.js';
import { AuthError, CapacityError, InvalidRequestError, PROVIDER_ERROR_KINDS, ProviderFault, QuotaError, ThrottledError, TransientError } from './errors.js';
import type { ProviderErrorKind } from './errors.js';
import { OWN_TAG_KEYS, TAG_ATTEMPT, TAG_MACHINE, TAG_MANAGED_BY, TAG_NAMESPACE, TAG_POOL } from './types.js';
import type { CreateRequest, Instance, Provider } from './types.js';

/** The calls a harness can make fail with its cloud's own error. */
export type InjectableOp = 'create' | 'get' | 'list' | 'delete' | 'offerings';

/** One fresh account of the adapter under test, on its fake (or the sim). */
export interface ProviderFixture {
  readonly provider: Provider;
  /**
   * The next call of `op` fails with the cloud's own error of `kind` (its SDK's exception, its HTTP
   * status and body), so the suite checks the adapter's classification, not the harness's.
   */
  inject(op: InjectableOp, kind: ProviderErrorKind): void;
  /** A provider of the same account whose credential is `secret`, which the cloud refuses. */
  withCredential(secret: string): Provider;
  /** A new provider object of the same account and credentials, as a restarted controller makes. */
  reopen(): Provider;
  /**
   * Stops the instance behind the adapter's back through the cloud's own API (EC2 StopInstances,
   * SimProvider.stop, GCE instances.stop, a DigitalOcean power_off action), as the cloud or a person
   * at its console does. Resolves once the cloud took the stop; the instance may show `stopping`
   * for a while before `stopped`, and exists (and bills) until deleted.
   */
  stop(instanceId: string): Promise<void>;
  /**
   * A new provider object of the same account and credentials configured for `regions` only (the
   * account's `regions` setting), as after a region was removed from the Strategy. Absent when the
   * adapter has no such setting: the region cases then ask `provider` itself with a region.
   */
  withRegions?(regions: readonly string[]): Provider;
  close(): Promise<void>;
}

/** What an adapter provides to the one contract suite every adapter runs. */
export interface ProviderHarness {
  /** Instances per page of the cloud's listing as the fake serves it; the suite creates more than two pages. */
  readonly pageSize: number;
  /** A well-formed id of an instance that does not exist. */
  readonly missingInstanceId: string;
  /** Deleted instances stay visible for a while (EC2, the sim), so a retry after a delete finds it. */
  readonly keepsDeletedInstances: boolean;
  open(): Promise<ProviderFixture>;
}

const ERROR_CLASSES = {
  capacity: CapacityError,
  quota: QuotaError,
  throttled: ThrottledError,
  auth: AuthError,
  invalidRequest: InvalidRequestError,
  transient: TransientError,
} as const;

const MANAGED_BY = 'polyfleet-contract';

/** A create request for the smallest offering of the first region, for `machineUid`. */
async function requestFor(provider: Provider): Promise<(machineUid: string, over?: Partial<CreateRequest>) => CreateRequest> {
  const [region] = await provider.regions();
  if (!region) throw new Error(`${provider.account}: regions() returned none`);
  const offerings = await provider.offerings(region.name);
  const smallest = [...offerings].sort((a, b) => a.cpu - b.cpu || a.memoryGiB - b.memoryGiB)[0];
  const image = await provider.image(region.name, 'ubuntu-24.04');
  if (!smallest || image === undefined) throw new Error(`${provider.account}: no offering or no ubuntu-24.04 image in ${region.name}`);
  return (machineUid, over = {}) => ({
    machineUid,
    attempt: 1,
    managedBy: MANAGED_BY,
    pool: 'workers',
    namespace: 'default',
    region: region.name,
    zone: smallest.zones[0] ?? '',
    instanceType: smallest.instanceType,
    image,
    tags: { team: 'contract' },
    ...over,
  });
}

const ids = (instances: readonly Instance[]): string[] => instances.map((i) => i.id).sort();

/** What a get shows after a delete: on its way out, gone, or forgotten. */
const DELETED_STATES = [undefined, 'terminating', 'terminated'];

/** Reads until `done` holds (a cloud's stop or delete takes its time), or fails naming what it waited for and what it last saw. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for ${what}; last saw ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const stateOf = (i: Instance | undefined): string | undefined => i?.state;

/** A request the first would conflict with: same key, another instance type (or, with one type only, another zone). */
async function conflicting(p: Provider, req: CreateRequest): Promise<Partial<CreateRequest>> {
  const region = (await p.regions()).find((r) => r.name === req.region);
  const other = (await p.offerings(req.region)).find((o) => o.instanceType !== req.instanceType);
  return other ? { instanceType: other.instanceType, zone: other.zones[0] ?? '' } : { zone: region?.zones[1] ?? 'nowhere' };
}

export function describeProviderContract(adapter: string, harness: ProviderHarness): void {
  describe(`Provider contract: ${adapter}`, () => {
    let fx: ProviderFixture;
    let p: Provider;
    let request: Awaited<ReturnType<typeof requestFor>>;
    let uidSeq = 0;
    const uid = (): string => `contract-${process.pid}-${Date.now()}-${uidSeq++}`;

    beforeEach(async () => {
      fx = await harness.open();
      p = fx.provider;
      request = await requestFor(p);
    });
    afterEach(async () => {
      await fx.close();
    });

    it('lists regions with zones, continent and country', async () => {
      const regions = await p.regions();
      expect(regions.length).toBeGreaterThan(0);
      expect(regions.flatMap(regionProblems)).toEqual([]);
    });

    it('lists well-formed offerings in every region, and resolves ubuntu-24.04 but not an unknown os', async () => {
      for (const region of await p.regions()) {
        const offerings = await p.offerings(region.name);
        expect(offerings.length).toBeGreaterThan(0);
        expect(offerings.flatMap((o) => offeringProblems(o, region))).toEqual([]);
        expect(typeof (await p.image(region.name, 'ubuntu-24.04'))).toBe('string');
        expect(await p.image(region.name, 'no-such-os-0.0')).toBeUndefined();
      }
    });

    it('creates a tagged instance that get returns; our tags win over the request tags', async () => {
      const m = uid();
      const req = request(m, { tags: { team: 'contract', [TAG_POOL]: 'spoofed' } });
      const created = await p.create(req);
      expect(instanceProblems(created, p.account)).toEqual([]);
      expect(created).toMatchObject({ region: req.region, zone: req.zone, instanceType: req.instanceType });
      expect(['pending', 'running']).toContain(created.state);
      expect(created.tags).toMatchObject({
        team: 'contract',
        [TAG_MANAGED_BY]: MANAGED_BY,
        [TAG_POOL]: 'workers',
        [TAG_NAMESPACE]: 'default',
        [TAG_MACHINE]: m,
        [TAG_ATTEMPT]: '1',
      });
      expect(OWN_TAG_KEYS.every((k) => k in created.tags)).toBe(true);
      expect((await p.get(created.id))?.id).toBe(created.id);
    });

    it('is idempotent on (machineUid, attempt); a new attempt makes a new instance', async () => {
      const m = uid();
      const first = await p.create(request(m));
      expect((await p.create(request(m))).id).toBe(first.id);
      expect((await fx.reopen().create(request(m))).id).toBe(first.id);
      const second = await p.create(request(m, { attempt: 2 }));
      expect(second.id).not.toBe(first.id);
      expect(second.tags[TAG_ATTEMPT]).toBe('2');
      const mine = (await p.list({ managedBy: MANAGED_BY })).filter((i) => i.tags[TAG_MACHINE] === m);
      expect(ids(mine)).toEqual([first.id, second.id].sort());
    });

    // Every adapter: by the cloud's own token (EC2 ClientToken, GCE requestId, the sim) or, without one
    // (DigitalOcean), by settling twins of one key on the oldest after the create.
    it('makes one instance for concurrent creates of one (machineUid, attempt)', async () => {
      const m = uid();
      const created = await Promise.all([p.create(request(m)), p.create(request(m)), p.create(request(m))]);
      expect(new Set(created.map((r) => r.id)).size).toBe(1);
      expect((await p.list({ managedBy: MANAGED_BY })).filter((i) => i.tags[TAG_MACHINE] === m)).toHaveLength(1);
    });

    it(
      harness.keepsDeletedInstances
        ? 'returns the deleted instance, never a new one, when a create is retried after the delete'
        : 'makes exactly one new instance, the deleted one staying gone, when a create is retried after the delete (the cloud forgets deleted instances)',
      async () => {
        const m = uid();
        const first = await p.create(request(m));
        await p.delete(first.id);
        const retried = await p.create(request(m));
        if (harness.keepsDeletedInstances) {
          expect(retried.id).toBe(first.id);
          expect(['terminating', 'terminated']).toContain(retried.state);
          return;
        }
        expect(retried.id).not.toBe(first.id);
        expect(['pending', 'running']).toContain(retried.state);
        expect(DELETED_STATES).toContain((await p.get(first.id))?.state);
        expect(ids((await p.list({ managedBy: MANAGED_BY })).filter((i) => i.tags[TAG_MACHINE] === m))).toEqual([retried.id]);
      },
    );

    it('refuses a retry of the same (machineUid, attempt) with another instance type or zone', async () => {
      const m = uid();
      await p.create(request(m));
      await expect(p.create(request(m, await conflicting(p, request(m))))).rejects.toBeInstanceOf(InvalidRequestError);
    });

    it('lists by our tags: managed-by, pool and namespace', async () => {
      const a = await p.create(request(uid(), { pool: 'alpha' }));
      const b = await p.create(request(uid(), { pool: 'beta' }));
      const c = await p.create(request(uid(), { pool: 'alpha', namespace: 'other' }));
      const d = await p.create(request(uid(), { managedBy: 'someone-else' }));
      expect(ids(await p.list({ managedBy: MANAGED_BY }))).toEqual(ids([a, b, c]));
      expect(ids(await p.list({ managedBy: MANAGED_BY, pool: 'alpha' }))).toEqual(ids([a, c]));
      expect(ids(await p.list({ managedBy: MANAGED_BY, pool: 'alpha', namespace: 'default' }))).toEqual([a.id]);
      expect(ids(await p.list({ managedBy: 'someone-else' }))).toEqual([d.id]);
      expect(await p.list({ managedBy: MANAGED_BY, pool: 'gamma' })).toEqual([]);
    });

    it('lists past the first page', async () => {
      const count = harness.pageSize * 2 + 1;
      const created: Instance[] = [];
      for (let i = 0; i < count; i++) created.push(await p.create(request(uid(), { pool: 'paged' })));
      const listed = await p.list({ managedBy: MANAGED_BY, pool: 'paged' });
      expect(ids(listed)).toEqual(ids(created));
    });

    it('describes many instances by id in one call, past the first page, leaving out ids it does not know', async () => {
      const count = harness.pageSize + 2;
      const created: Instance[] = [];
      for (let i = 0; i < count; i++) created.push(await p.create(request(uid(), { pool: 'described' })));
      const [first, ...asked] = created;
      if (first === undefined) throw new Error('nothing created');
      const described = await p.describe(first.region, [...asked.map((i) => i.id), harness.missingInstanceId]);
      expect(ids(described)).toEqual(ids(asked));
      for (const d of described) {
        expect(instanceProblems(d, p.account)).toEqual([]);
        expect(d.tags[TAG_MACHINE]).toBe(asked.find((i) => i.id === d.id)?.tags[TAG_MACHINE]);
      }
      expect(await p.describe(first.region, [])).toEqual([]);
      await p.delete(first.id, first.region);
      const [gone] = await p.describe(first.region, [first.id]);
      expect(DELETED_STATES).toContain(stateOf(gone));
    });

    it('returns undefined for a missing instance and deletes idempotently', async () => {
      expect(await p.get(harness.missingInstanceId)).toBeUndefined();
      await p.delete(harness.missingInstanceId);
      const created = await p.create(request(uid()));
      await p.delete(created.id);
      await p.delete(created.id);
      const after = await p.get(created.id);
      expect(DELETED_STATES).toContain(after?.state);
    });

    it('shows an instance stopped behind its back as stopping, then stopped, in get and list, and deletes it', async () => {
      const m = uid();
      const created = await p.create(request(m));
      await until(() => p.get(created.id), (i) => i?.state === 'running', `${created.id} to run`);
      await fx.stop(created.id);
      const seen = new Set<string | undefined>();
      const stopped = await until(
        () => p.get(created.id),
        (i) => {
          seen.add(stateOf(i));
          return i?.state === 'stopped';
        },
        `${created.id} to stop`,
      );
      expect([...seen].filter((s) => s !== 'stopping' && s !== 'stopped')).toEqual([]);
      expect(stopped && instanceProblems(stopped, p.account)).toEqual([]);
      expect((await p.list({ managedBy: MANAGED_BY, machineUid: m })).map((i) => [i.id, i.state])).toEqual([[created.id, 'stopped']]);
      expect(ids(await p.list({ managedBy: MANAGED_BY }))).toContain(created.id);
      await p.delete(created.id);
      expect(DELETED_STATES).toContain(stateOf(await p.get(created.id)));
      await until(() => p.list({ managedBy: MANAGED_BY, machineUid: m }), (l) => l.length === 0, `the deleted ${created.id} to leave the list`);
      expect(DELETED_STATES).toContain(stateOf(await p.get(created.id)));
    }, 90_000);

    it("lists one Machine's instances, of every attempt, with machineUid", async () => {
      const m = uid();
      const other = uid();
      const first = await p.create(request(m));
      const second = await p.create(request(m, { attempt: 2 }));
      const others = await p.create(request(other));
      expect(ids(await p.list({ managedBy: MANAGED_BY, machineUid: m }))).toEqual(ids([first, second]));
      expect(ids(await p.list({ managedBy: MANAGED_BY, machineUid: other, pool: 'workers' }))).toEqual([others.id]);
      expect(await p.list({ managedBy: MANAGED_BY, machineUid: uid() })).toEqual([]);
      expect(await p.list({ managedBy: 'someone-else', machineUid: m })).toEqual([]);
    });

    it('finds, lists and deletes an instance by its region, also from a provider of the account no longer configured for it', async () => {
      const m = uid();
      const created = await p.create(request(m));
      const home = created.region;
      const elsewhere = (await p.regions()).find((r) => r.name !== home)?.name;
      const q = elsewhere !== undefined && fx.withRegions ? fx.withRegions([elsewhere]) : p;
      if (q !== p) expect((await q.regions()).map((r) => r.name)).not.toContain(home);
      expect(ids(await q.list({ managedBy: MANAGED_BY, machineUid: m, region: home }))).toEqual([created.id]);
      expect((await q.get(created.id, home))?.id).toBe(created.id);
      if (elsewhere !== undefined) {
        expect(await q.list({ managedBy: MANAGED_BY, machineUid: m, region: elsewhere })).toEqual([]);
        expect(await q.get(created.id, elsewhere)).toBeUndefined();
        await q.delete(created.id, elsewhere);
        expect(['pending', 'running']).toContain(stateOf(await p.get(created.id, home)));
      }
      await q.delete(created.id, home);
      expect(DELETED_STATES).toContain(stateOf(await q.get(created.id, home)));
      await until(() => q.list({ managedBy: MANAGED_BY, machineUid: m, region: home }), (l) => l.length === 0, `the deleted ${created.id} to leave the list`);
    }, 90_000);

    it('still lists the first instance by its tags after a conflicting retry was refused: the refusal is no proof of absence', async () => {
      const m = uid();
      const first = await p.create(request(m));
      await expect(p.create(request(m, await conflicting(p, request(m))))).rejects.toBeInstanceOf(InvalidRequestError);
      const found = await p.list({ managedBy: MANAGED_BY, machineUid: m, region: first.region });
      expect(ids(found)).toEqual([first.id]);
      expect(found[0]?.tags[TAG_ATTEMPT]).toBe('1');
    });

    it.each(PROVIDER_ERROR_KINDS)('surfaces an injected %s error on create as its class, and creates nothing', async (kind) => {
      fx.inject('create', kind);
      const m = uid();
      const error = await p.create(request(m)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ERROR_CLASSES[kind]);
      expect(error).toMatchObject({ kind, account: p.account });
      expect((await p.list({ managedBy: MANAGED_BY })).filter((i) => i.tags[TAG_MACHINE] === m)).toEqual([]);
      expect((await p.create(request(m))).tags[TAG_MACHINE]).toBe(m);
    });

    it.each(
      (['get', 'list', 'delete', 'offerings'] as const).flatMap((op) => (['throttled', 'transient', 'auth'] as const).map((kind) => ({ op, kind }))),
    )('surfaces an injected $kind error on $op as its class', async ({ op, kind }) => {
      const created = await p.create(request(uid()));
      fx.inject(op, kind);
      const call: Record<InjectableOp, () => Promise<unknown>> = {
        create: () => p.create(request(uid())),
        get: () => p.get(created.id),
        list: () => p.list({ managedBy: MANAGED_BY }),
        delete: () => p.delete(created.id),
        offerings: () => p.offerings(created.region),
      };
      await expect(call[op]()).rejects.toBeInstanceOf(ERROR_CLASSES[kind]);
      await call[op]();
    });

    it('refuses a bad credential with AuthError whose message holds no secret', async () => {
      const secret = `contract-secret-${process.pid}-7f3a9c`;
      const bad = fx.withCredential(secret);
      for (const call of [() => bad.regions(), () => bad.list({ managedBy: MANAGED_BY }), () => bad.create(request(uid()))]) {
        const error = await call().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AuthError);
        expect(error).toBeInstanceOf(ProviderFault);
        const e = error as AuthError;
        const seen = [e.message, String(e), e.stack ?? '', e.cause instanceof Error ? `${e.cause.message} ${e.cause.stack ?? ''}` : JSON.stringify(e.cause ?? null)];
        expect(seen.filter((text) => text.includes(secret))).toEqual([]);
        expect(e.message).toContain(p.account);
      }
    });
  });
}
