import { TAG_MANAGED_BY, type Instance } from '../../providers/index.js';
import { listAllInstanceFiles, observeInstance } from '../../providers/sim/index.js';
import type { Installation } from './installation.js';
import { polyfleet } from './installation.js';
import { judge, type Judgement } from './judge.js';
import { ALL_REGIONS, nodePoolYaml, type PoolShape } from './manifests.js';

/** Share of kills that land while `polyfleet run` boots (after its spawn, before its controllers are announced). */
const EARLY_KILL_SHARE = 0.15;
/** A kill lands up to this long after its instant's reference (the spawn, or the controllers' announcement). */
const KILL_SPREAD_MS = 2_000;

/** One installation in the run, with what its pool should be now. */
export interface Member {
  readonly installation: Installation;
  shape: PoolShape;
  /** Its pool was deleted (and must be gone, with every instance). */
  deleted: boolean;
}

/** The chaos run's state: both installations, the shared sim, the seeded draws, the kills so far. */
export class ChaosContext {
  kills = 0;
  /** The regions the Strategies of both installations name now. */
  regions: readonly string[] = ALL_REGIONS;
  private readonly started = Date.now();

  constructor(
    readonly members: readonly Member[],
    readonly root: string,
    readonly simDir: string,
    readonly random: () => number,
    private readonly sink: (line: string) => void,
  ) {}

  log(line: string): void {
    this.sink(`[+${((Date.now() - this.started) / 1000).toFixed(1)}s] ${line}`);
  }

  /** A seeded pick. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /**
   * SIGKILLs one `polyfleet run` at a seeded instant and starts it again at once. The draws come
   * first, so the seed fixes every kill's target and delay whatever the machine's speed.
   */
  async killOne(phase: string): Promise<void> {
    const member = this.pick(this.members);
    const early = this.random() < EARLY_KILL_SHARE;
    const delayMs = Math.floor(this.random() * KILL_SPREAD_MS);
    const { installation } = member;
    const life = installation.current();
    // An early kill lands while the process boots; one that is up already is killed mid-work instead.
    const booting = early && Date.now() < life.spawnedAt + delayMs;
    if (booting) await sleep(life.spawnedAt + delayMs - Date.now());
    else if (await life.announced) await sleep(delayMs);
    await installation.kill();
    this.kills++;
    const when = booting ? `${delayMs.toString()} ms after its spawn (booting)` : `mid-work (${delayMs.toString()} ms after its controllers were up and the previous step done)`;
    this.log(`kill ${this.kills.toString()} (${phase}): installation ${installation.name}, ${when}`);
    installation.start();
  }

  /** Applies a new shape of one member's pool. */
  async scale(member: Member, replicas: number): Promise<void> {
    member.shape = { ...member.shape, replicas };
    await member.installation.apply({ 'nodepool.yaml': nodePoolYaml(member.shape) });
    this.log(`installation ${member.installation.name}: pool scaled to ${replicas.toString()} (+1)`);
  }

  /** A polyfleet sim command on the shared sim dir; its failure is logged, not thrown (the sim may have moved on). */
  async sim(argv: readonly string[]): Promise<boolean> {
    const r = await polyfleet(this.root, ['sim', ...argv, '--dir', this.simDir]);
    if (r.status !== 0) this.log(`polyfleet sim ${argv.join(' ')} exited ${String(r.status)}: ${r.stderr.trim()}`);
    return r.status === 0;
  }

  /** A seeded pick of the running instances of both installations (in that account and zone only, if given), if any runs. */
  async pickRunningInstance(where?: { readonly account: string; readonly zone: string }): Promise<Instance | undefined> {
    const now = new Date();
    const ours = new Set(this.members.map((m) => m.installation.identity));
    const running = (await listAllInstanceFiles(this.simDir, where?.account)).flatMap((files) => {
      const instance = observeInstance(files, now);
      const there = where === undefined || instance?.zone === where.zone;
      return there && instance?.state === 'running' && ours.has(instance.tags[TAG_MANAGED_BY] ?? '') ? [instance] : [];
    });
    if (running.length === 0) this.log(`no running instance${where === undefined ? '' : ` in ${where.account}/${where.zone}`} to stop`);
    return running.length === 0 ? undefined : this.pick(running);
  }

  /** `polyfleet sim stop` on the instance, as a person would from another terminal. */
  async stopInstance(victim: Instance): Promise<void> {
    if (await this.sim(['stop', victim.id])) this.log(`stopped instance ${victim.id} (${victim.account}/${victim.zone}) of ${victim.tags[TAG_MANAGED_BY] ?? '?'}`);
  }

  judge(): Promise<Judgement> {
    return judge(
      this.simDir,
      this.members.map((m) => ({ installation: m.installation, expected: m.deleted ? { kind: 'deleted' } : { kind: 'pool', replicas: m.shape.replicas, regions: this.regions } })),
    );
  }

  /** Polls the judgement until `done` holds or `ms` pass; the last judgement either way. */
  async waitFor(done: (j: Judgement) => boolean, ms: number): Promise<{ judgement: Judgement; reached: boolean }> {
    const deadline = Date.now() + ms;
    for (;;) {
      const judgement = await this.judge();
      if (done(judgement)) return { judgement, reached: true };
      if (Date.now() > deadline) return { judgement, reached: false };
      await sleep(1_000);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
