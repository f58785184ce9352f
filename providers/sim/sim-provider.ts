import { mkdir } from 'node:fs/promises';
import { AuthError, InvalidRequestError, QuotaError } from '../errors.js';
import type { ProviderError, ProviderErrorKind } from '../errors.js';
import type { Clock, CreateRequest, Instance, InstanceFilter, ProviderOffering, Provider, ProviderOp, RegionInfo } from '../types.js';
import { TAG_MACHINE, TAG_MANAGED_BY, TAG_NAMESPACE, TAG_POOL } from '../types.js';
import { sweepStaleTemps } from './atomic-files.js';
import { imageId, regionInfo, regionOfferings } from './catalogue.js';
import { loadCatalogue } from './catalogue-file.js';
import type { SimCatalogue, SimRegion } from './catalogue.js';
import { buildRecord, checkRetryMatches, findOffering, requireWellFormed } from './create-request.js';
import { FaultInjector } from './fault-injector.js';
import type { FaultContext } from './fault-injector.js';
import { FaultRulesFile } from './faults.js';
import type { FaultRule } from './faults.js';
import { accountDir, createInstanceFile, isAccountName, readInstanceFiles, walkInstances, writeDeleteMarker, type InstanceWalk } from './instance-files.js';
import { instanceIdFor, isVisible, observeForRetry, observeInstance } from './instance-record.js';
import type { KillMode, SimInstanceFiles } from './instance-record.js';
import { killInstance } from './kill.js';
import { fnv1a } from './pricing.js';
import { seededRandom } from './random.js';
import { resolveSimDir, tmpDir } from './sim-dir.js';
import { DEFAULT_STOP_LATENCY_MS, stopInstance } from './stop.js';

export interface SimProviderOptions {
  /** The provider account name; instances of different accounts in one sim dir never mix. */
  readonly account: string;
  /** The sim dir; default $POLYFLEET_SIM_DIR, else .polyfleet/sim. */
  readonly dir?: string;
  readonly clock?: Clock;
  /** How long an instance stays pending after create (default 2 s). */
  readonly createLatencyMs?: number;
  /** How long an instance stays terminating after delete (default 1 s). */
  readonly deleteLatencyMs?: number;
  /** How long an instance stays stopping after `stop` (default 1 s). */
  readonly stopLatencyMs?: number;
  /**
   * The catalogue regions the account uses (account.regions): regions(), offerings, image, create
   * and an unscoped list or get see only these. A get, list or delete given a region may name any
   * catalogue region, as an instance outlives its region's removal from a Strategy. Absent: all.
   */
  readonly regions?: readonly string[];
  /** Seeds failure draws; default derived from the account name. */
  readonly seed?: number;
  /** Instances per page of the listing `list` walks (default 100). */
  readonly pageSize?: number;
  /** Live instances the account may have; absent means no limit. */
  readonly maxInstances?: number;
  /** The sim needs no credentials; one given must look like a sim key ("sim-…") or every call fails with AuthError. */
  readonly apiKey?: string;
  /**
   * Who this provider calls as: recorded in the delete and stop markers it writes (`by`), as a
   * cloud's audit log records the caller, so a test can tell which installation deleted an
   * instance. Default $POLYFLEET_SIM_ACTOR (the process's identity, set per process like a
   * cloud's ambient credentials), else nothing is recorded.
   */
  readonly actor?: string;
}

/** The environment variable a process names its sim actor in (SimProviderOptions.actor). */
export const SIM_ACTOR_ENV = 'POLYFLEET_SIM_ACTOR';

const systemClock: Clock = { now: () => new Date() };

/** One account of the simulated cloud: state in the sim dir, failures on demand. */
export class SimProvider implements Provider {
  readonly type = 'sim';
  readonly account: string;
  readonly dir: string;
  private readonly clock: Clock;
  private readonly createLatencyMs: number;
  private readonly deleteLatencyMs: number;
  private readonly stopLatencyMs: number;
  private readonly pageSize: number;
  private readonly actor: string | undefined;
  private readonly faults: FaultInjector;
  private readonly faultRules: FaultRulesFile;
  private prepared: Promise<SimCatalogue> | undefined;

  constructor(private readonly options: SimProviderOptions) {
    if (!isAccountName(options.account)) throw new RangeError(`sim account name ${JSON.stringify(options.account)} is not a DNS label`);
    this.account = options.account;
    this.dir = resolveSimDir(options.dir);
    this.clock = options.clock ?? systemClock;
    this.createLatencyMs = nonNegative('createLatencyMs', options.createLatencyMs ?? 2_000);
    this.deleteLatencyMs = nonNegative('deleteLatencyMs', options.deleteLatencyMs ?? 1_000);
    this.stopLatencyMs = nonNegative('stopLatencyMs', options.stopLatencyMs ?? DEFAULT_STOP_LATENCY_MS);
    this.pageSize = Math.max(1, Math.floor(options.pageSize ?? 100));
    this.actor = options.actor ?? (process.env[SIM_ACTOR_ENV] || undefined);
    this.faults = new FaultInjector(options.account, seededRandom(options.seed ?? fnv1a(options.account)));
    this.faultRules = new FaultRulesFile(this.dir);
  }

  /** The next call of `op` fails with `error` (or an error of that kind). */
  failNext(op: ProviderOp, error: ProviderError | ProviderErrorKind): void {
    this.faults.failNext(op, error);
  }

  /** A failure rule for this provider only, beside the sim dir's faults.json (`account` is implied). */
  addFaultRule(rule: FaultRule): void {
    this.faults.addRule(rule);
  }

  resetFaults(): void {
    this.faults.reset();
  }

  /** The instance dies: `fail` shows it failed, `vanish` makes the cloud forget it. False if no such instance. */
  async kill(instanceId: string, how: KillMode = 'fail', reason?: string): Promise<boolean> {
    const files = await readInstanceFiles(this.dir, this.account, instanceId);
    return files !== undefined && killInstance(this.dir, files, how, this.clock.now(), reason);
  }

  /**
   * The cloud stops a pending or running instance behind the adapter's back: `stopping` for
   * stopLatencyMs, then `stopped`, still listed and billing until deleted. Recorded in the sim dir,
   * so other processes and a restart see it. False if no such instance, or it was not pending or running.
   */
  async stop(instanceId: string): Promise<boolean> {
    const files = await readInstanceFiles(this.dir, this.account, instanceId);
    return files !== undefined && stopInstance(this.dir, files, this.clock.now(), this.stopLatencyMs, this.actor);
  }

  async regions(): Promise<RegionInfo[]> {
    const { catalogue } = await this.enter({ op: 'regions' });
    return this.configured(catalogue).map(regionInfo);
  }

  async offerings(region: string): Promise<ProviderOffering[]> {
    const { catalogue } = await this.enter({ op: 'offerings', region });
    return regionOfferings(catalogue, this.region(catalogue, region), this.account);
  }

  async image(region: string, os: string): Promise<string | undefined> {
    const { catalogue } = await this.enter({ op: 'image', region });
    this.region(catalogue, region);
    return catalogue.images.includes(os) ? imageId(os, region) : undefined;
  }

  async create(req: CreateRequest): Promise<Instance> {
    requireWellFormed(req, this.account);
    const ctx: FaultContext = { op: 'create', region: req.region, zone: req.zone, instanceType: req.instanceType, capacityType: req.capacityType ?? 'on-demand' };
    const { catalogue, faultRules } = await this.enter(ctx);
    const id = instanceIdFor(this.account, req.machineUid, req.attempt);
    const existing = await readInstanceFiles(this.dir, this.account, id);
    if (existing) return this.retried(existing, req);
    const offering = findOffering(catalogue, this.region(catalogue, req.region), req, this.account);
    await this.checkQuota();
    const now = this.clock.now();
    const dieAfterMs = this.faults.deathDelayMs(ctx, faultRules);
    const invisibleForMs = this.faults.invisibleForMs(ctx, faultRules);
    const record = buildRecord({ id, account: this.account, req, offering, now, createLatencyMs: this.createLatencyMs, dieAfterMs, invisibleForMs });
    const { files } = await createInstanceFile(this.dir, record);
    return this.retried(files, req);
  }

  async get(instanceId: string, region?: string): Promise<Instance | undefined> {
    const { catalogue } = await this.enter({ op: 'get', ...(region === undefined ? {} : { region }) });
    const files = await this.visible(catalogue, instanceId, region);
    return files && observeInstance(files, this.clock.now());
  }

  /** Walks the account's instance pages as `list` does (one fault check per page), keeping `ids` in `region`. */
  async describe(region: string, ids: readonly string[]): Promise<Instance[]> {
    const wanted = new Set(ids);
    const found: Instance[] = [];
    const walk = await this.walk();
    for (let p = 0; p < walk.pages; p++) {
      const { catalogue } = await this.enter({ op: 'describe', region });
      const regions = this.scope(catalogue, region);
      const now = this.clock.now();
      for (const f of await walk.page(p)) {
        if (!wanted.has(f.record.id) || !regions.has(f.record.region) || !isVisible(f.record, now)) continue;
        const instance = observeInstance(f, now);
        if (instance !== undefined) found.push(instance);
      }
    }
    return found;
  }

  async list(filter: InstanceFilter): Promise<Instance[]> {
    const found: Instance[] = [];
    const ctx: FaultContext = { op: 'list', ...(filter.region === undefined ? {} : { region: filter.region }) };
    const walk = await this.walk();
    for (let p = 0; p < walk.pages; p++) {
      const { catalogue } = await this.enter(ctx);
      const regions = this.scope(catalogue, filter.region);
      const now = this.clock.now();
      const shown = (await walk.page(p)).filter((f) => regions.has(f.record.region) && isVisible(f.record, now));
      found.push(...this.live(shown).filter((i) => matches(i.tags, filter)));
    }
    return found;
  }

  /**
   * A stopped instance is terminated like a running one. An invisible one is not found, so nothing
   * happens, as on EC2. The first delete's marker stands, with its caller (`by`, the actor).
   */
  async delete(instanceId: string, region?: string): Promise<void> {
    const { catalogue } = await this.enter({ op: 'delete', ...(region === undefined ? {} : { region }) });
    const files = await this.visible(catalogue, instanceId, region);
    if (!files || files.deleted || observeInstance(files, this.clock.now()) === undefined) return;
    const now = this.clock.now();
    await writeDeleteMarker(this.dir, files.record, {
      requestedAt: now.toISOString(),
      terminatesAt: new Date(now.getTime() + this.deleteLatencyMs).toISOString(),
      ...(this.actor === undefined ? {} : { by: this.actor }),
    });
  }

  /** What every call does first: authenticate, prepare the dir once, fail if a fault says so. */
  private async enter(ctx: FaultContext): Promise<{ catalogue: SimCatalogue; faultRules: readonly FaultRule[] }> {
    const key = this.options.apiKey;
    if (key !== undefined && !key.startsWith('sim-')) {
      throw new AuthError(`${ctx.op} was refused: the API key is not a sim key (sim keys start with "sim-")`, this.account);
    }
    this.prepared ??= this.prepare();
    const catalogue = await this.prepared;
    const faultRules = await this.faultRules.rules();
    const error = this.faults.errorFor(ctx, faultRules);
    if (error) throw error;
    return { catalogue, faultRules };
  }

  private async prepare(): Promise<SimCatalogue> {
    await mkdir(accountDir(this.dir, this.account), { recursive: true });
    await sweepStaleTemps(tmpDir(this.dir));
    return loadCatalogue(this.dir);
  }

  private retried(files: SimInstanceFiles, req: CreateRequest): Instance {
    checkRetryMatches(files.record, req, this.account);
    return observeForRetry(files, this.clock.now());
  }

  /** A region the account is configured for, as offerings, image and create need. */
  private region(catalogue: SimCatalogue, name: string): SimRegion {
    const configured = this.configured(catalogue);
    const region = configured.find((r) => r.name === name);
    if (!region) {
      const problem = this.options.regions?.length ? `region "${name}" is not one the account uses (${names(configured)})` : `the sim has no region "${name}" (it has ${names(configured)})`;
      throw new InvalidRequestError(problem, this.account);
    }
    return region;
  }

  /** The catalogue's regions the account uses, in catalogue order. */
  private configured(catalogue: SimCatalogue): SimRegion[] {
    const wanted = this.options.regions;
    if (wanted === undefined || wanted.length === 0) return [...catalogue.regions];
    const unknown = wanted.filter((w) => !catalogue.regions.some((r) => r.name === w));
    if (unknown.length > 0) {
      throw new InvalidRequestError(`the account is configured for regions the sim does not have: ${unknown.join(', ')} (it has ${names(catalogue.regions)})`, this.account);
    }
    return catalogue.regions.filter((r) => wanted.includes(r.name));
  }

  /** The region names a get, list or delete looks in: `region` alone, any the sim has, or the account's. */
  private scope(catalogue: SimCatalogue, region: string | undefined): ReadonlySet<string> {
    if (region === undefined) return new Set(this.configured(catalogue).map((r) => r.name));
    if (!catalogue.regions.some((r) => r.name === region)) {
      throw new InvalidRequestError(`the sim has no region "${region}" (it has ${names(catalogue.regions)})`, this.account);
    }
    return new Set([region]);
  }

  /** The instance's files if it is in scope (see `scope`) and not hidden by an `invisible` fault. */
  private async visible(catalogue: SimCatalogue, instanceId: string, region: string | undefined): Promise<SimInstanceFiles | undefined> {
    const regions = this.scope(catalogue, region);
    const files = await readInstanceFiles(this.dir, this.account, instanceId);
    return files && regions.has(files.record.region) && isVisible(files.record, this.clock.now()) ? files : undefined;
  }

  /** The instances of `files` not yet terminated, as they are now. */
  private live(files: readonly SimInstanceFiles[]): Instance[] {
    const now = this.clock.now();
    return files.flatMap((f) => {
      const instance = observeInstance(f, now);
      return instance && instance.state !== 'terminated' ? [instance] : [];
    });
  }

  private walk(): Promise<InstanceWalk> {
    return walkInstances(this.dir, this.account, this.pageSize);
  }

  /** Counts live instances across processes; two creates racing may both pass, as with some real clouds' quotas. */
  private async checkQuota(): Promise<void> {
    const max = this.options.maxInstances;
    if (max === undefined) return;
    let live = 0;
    const walk = await this.walk();
    for (let p = 0; p < walk.pages; p++) live += this.live(await walk.page(p)).length;
    if (live >= max) throw new QuotaError(`the account has ${live} live instances and may have ${max}`, this.account);
  }
}

function matches(tags: Readonly<Record<string, string>>, filter: InstanceFilter): boolean {
  return (
    tags[TAG_MANAGED_BY] === filter.managedBy &&
    (filter.pool === undefined || tags[TAG_POOL] === filter.pool) &&
    (filter.namespace === undefined || tags[TAG_NAMESPACE] === filter.namespace) &&
    (filter.machineUid === undefined || tags[TAG_MACHINE] === filter.machineUid)
  );
}

function names(regions: readonly SimRegion[]): string {
  return regions.map((r) => r.name).join(', ');
}

function nonNegative(name: string, ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`SimProvider ${name} must be a number of milliseconds ≥ 0, got ${ms}`);
  return ms;
}
