import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Machine, NodePool } from '../../api/index.js';
import { SIM_ACTOR_ENV } from '../../providers/sim/index.js';
import { openFileStore, type FileStore } from '../../runtime/store/file/index.js';
import { startPolyfleet, type BackgroundPolyfleet, type CliResult } from '../../cli/testing/cli-process.js';
import { NAMESPACE, POOL } from './manifests.js';

/** The state file `polyfleet` uses by default, relative to an installation's directory (its cwd). */
const STATE = '.polyfleet/state.jsonl';
/** How long a SIGTERMed `polyfleet run` may take to stop before it is SIGKILLed (not counted as a chaos kill). */
const GRACEFUL_STOP_MS = 20_000;

/** Runs a polyfleet command to completion without blocking the event loop (kills stay on time meanwhile). */
export async function polyfleet(cwd: string, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  const p = startPolyfleet(cwd, argv, env);
  const status = await p.exited;
  return { status, stdout: p.stdout(), stderr: p.stderr() };
}

/** One `polyfleet run` life: killed, stopped, or ended on its own. */
interface Life {
  readonly process: BackgroundPolyfleet;
  readonly spawnedAt: number;
  /** Resolves true once the controllers are announced, false if the process ended first. */
  readonly announced: Promise<boolean>;
  /** Set before the chaos run ends the process itself; an exit without it is the process's own. */
  ending: boolean;
}

export interface InstallationOptions {
  readonly root: string;
  /** "a" or "b": the directory and the log name. */
  readonly name: string;
  readonly simDir: string;
  readonly leakGrace: string;
  readonly log: (line: string) => void;
}

/**
 * One polyfleet installation as a user has it: a directory with its state file and manifests, and
 * `polyfleet run` started in it (and killed, and started again). Its identity is the one the state
 * file keeps (FileStore.installationId, which `polyfleet run` announces and tags with); each process
 * runs with POLYFLEET_SIM_ACTOR set to it, so the sim's delete markers say which installation
 * deleted an instance.
 */
export class Installation {
  readonly name: string;
  readonly dir: string;
  /** Unexpected ends of `polyfleet run` (exit code, signal and the tail of its stderr). */
  readonly selfExits: string[] = [];
  private life: Life | undefined;
  private reader: FileStore | undefined;
  private identityValue: string | undefined;

  constructor(private readonly options: InstallationOptions) {
    this.name = options.name;
    this.dir = join(options.root, options.name);
    mkdirSync(this.dir, { recursive: true });
  }

  get identity(): string {
    if (this.identityValue === undefined) throw new Error(`installation ${this.name} has no identity before its first apply`);
    return this.identityValue;
  }

  /** Writes manifests (file name → YAML) into the installation's directory and applies them with one `polyfleet apply`. */
  async apply(manifests: Readonly<Record<string, string>>): Promise<void> {
    const files = Object.entries(manifests).map(([file, yaml]) => {
      writeFileSync(join(this.dir, file), yaml);
      return file;
    });
    await this.cli(['apply', ...files.flatMap((f) => ['-f', f])]);
    if (this.identityValue === undefined) await this.learnIdentity();
  }

  /** Runs a polyfleet command in the installation's directory; a non-zero exit throws. */
  async cli(argv: readonly string[]): Promise<CliResult> {
    const r = await polyfleet(this.dir, argv);
    if (r.status !== 0) throw new Error(`installation ${this.name}: polyfleet ${argv.join(' ')} exited ${String(r.status)}\n${r.stdout}${r.stderr}`);
    return r;
  }

  /** Starts `polyfleet run` (after a kill, at once: the kill instants stay the chaos run's). */
  start(): void {
    const argv = ['run', '--port', '0', '--sim-dir', this.options.simDir, '--leak-grace', this.options.leakGrace];
    const run = startPolyfleet(this.dir, argv, { ...process.env, [SIM_ACTOR_ENV]: this.identity });
    const life: Life = { process: run, spawnedAt: Date.now(), announced: announced(run), ending: false };
    this.life = life;
    void life.announced.then((ok) => {
      this.checkAnnouncement(life, ok);
    });
    void run.exited.then((code) => {
      this.onExit(life, code);
    });
  }

  /** When the current process was spawned and whether it announced its controllers (false: it ended first). */
  current(): { spawnedAt: number; announced: Promise<boolean> } {
    if (this.life === undefined) throw new Error(`installation ${this.name} is not running`);
    return this.life;
  }

  /** SIGKILLs `polyfleet run` and waits until it is gone. */
  async kill(): Promise<void> {
    const life = this.life;
    if (life === undefined) return;
    life.ending = true;
    life.process.child.kill('SIGKILL');
    await life.process.exited;
    this.life = undefined;
  }

  /** SIGTERM, as Ctrl-C: a graceful stop; SIGKILL after 20 s (reported: a stop that hangs is a finding). */
  async stop(): Promise<void> {
    const life = this.life;
    if (life === undefined) return;
    life.ending = true;
    life.process.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      this.selfExits.push(`polyfleet run did not stop within ${(GRACEFUL_STOP_MS / 1000).toString()} s of SIGTERM; SIGKILLed\n${tail(life.process.stderr())}`);
      life.process.child.kill('SIGKILL');
    }, GRACEFUL_STOP_MS);
    await life.process.exited;
    clearTimeout(timer);
    this.life = undefined;
  }

  /** The state file as another process reads it, refreshed: the pool (undefined once deleted) and its Machines. */
  async observe(): Promise<{ pool: NodePool | undefined; machines: Machine[] }> {
    this.reader ??= await openFileStore({ path: join(this.dir, STATE), readOnly: true, logger: pino({ level: 'silent' }) });
    await this.reader.refresh();
    return {
      pool: await this.reader.get('NodePool', { namespace: NAMESPACE, name: POOL }),
      machines: await this.reader.list('Machine', { namespace: NAMESPACE }),
    };
  }

  /** Events about one object with this reason, counted (the state file aggregates repeats). */
  async eventCount(kind: 'Strategy' | 'NodePool', name: string, reason: string): Promise<number> {
    await this.observe();
    const events = await this.reader?.eventSink().list({ kind, namespace: NAMESPACE, name });
    return (events ?? []).filter((e) => e.reason === reason).reduce((n, e) => n + e.count, 0);
  }

  /** What the last `polyfleet run` printed, for a report. */
  output(): string {
    return this.life === undefined ? '' : `${tail(this.life.process.stdout())}\n${tail(this.life.process.stderr())}`;
  }

  async close(): Promise<void> {
    await this.stop();
    await this.reader?.close();
    this.reader = undefined;
  }

  /** The state file's own identity (FileStore.installationId), made by the first `polyfleet apply`. */
  private async learnIdentity(): Promise<void> {
    const store = await openFileStore({ path: join(this.dir, STATE), readOnly: true, logger: pino({ level: 'silent' }) });
    this.identityValue = store.installationId;
    await store.close();
  }

  private checkAnnouncement(life: Life, ok: boolean): void {
    if (!ok) return;
    const said = /installation (\S+)/.exec(life.process.stdout())?.[1];
    if (said !== this.identity) this.selfExits.push(`polyfleet run announced installation ${String(said)}, expected ${this.identity}`);
  }

  /** An end the chaos run did not cause is recorded, and the installation started again. */
  private onExit(life: Life, code: number | null): void {
    if (life.ending) return;
    const what = `polyfleet run of installation ${this.name} ended on its own (exit ${String(code)}, signal ${String(life.process.child.signalCode)})`;
    this.selfExits.push(`${what}\n${tail(life.process.stdout())}\n${tail(life.process.stderr())}`);
    this.options.log(what);
    if (this.life === life) this.start();
  }
}

function announced(run: BackgroundPolyfleet): Promise<boolean> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (run.stdout().includes('controllers:')) resolve(true);
    };
    run.child.stdout?.on('data', check);
    void run.exited.then(() => {
      check();
      resolve(false);
    });
  });
}

function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
