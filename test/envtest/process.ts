import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { findOnPath } from './binaries.js';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A server process (etcd or kube-apiserver) whose stdout and stderr go to a log file. It runs in
 * its own process group, so a Ctrl-C in the terminal reaches the harness (which stops it in order)
 * rather than the server; and, where util-linux's `setpriv` exists, with a parent-death signal, so
 * it is killed even if the harness process dies without cleaning up (SIGKILL, OOM, a crash).
 */
export class ServerProcess {
  readonly exited: Promise<ExitStatus>;
  private status: ExitStatus | undefined;
  private spawnError: Error | undefined;
  private readonly child: ChildProcess;

  constructor(
    readonly name: string,
    binary: string,
    args: readonly string[],
    readonly logPath: string,
  ) {
    const setpriv = findOnPath('setpriv');
    const [command, argv] =
      setpriv === undefined ? [binary, [...args]] : [setpriv, ['--pdeathsig', 'KILL', '--', binary, ...args]];
    const log = openSync(logPath, 'a');
    try {
      this.child = spawn(command, argv, { stdio: ['ignore', log, log], detached: true });
    } finally {
      closeSync(log);
    }
    this.exited = new Promise<ExitStatus>((resolve) => {
      this.child.once('error', (err) => {
        this.spawnError = err;
        this.status = { code: null, signal: null };
        resolve(this.status);
      });
      this.child.once('exit', (code, signal) => {
        this.status = { code, signal };
        resolve(this.status);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Set once the process has exited. */
  get exitStatus(): ExitStatus | undefined {
    return this.status;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.status !== undefined) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => { this.signal('SIGKILL'); }, graceMs);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Synchronous SIGKILL of the whole group, for exit handlers that cannot wait. */
  killNow(): void {
    if (this.status === undefined) this.signal('SIGKILL');
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  }

  /** The last `lines` lines of its log, for error messages. */
  tail(lines = 30): string {
    return tailFile(this.logPath, lines);
  }

  describeExit(): string {
    const s = this.status;
    if (s === undefined) return `${this.name} is running`;
    if (this.spawnError !== undefined) return `${this.name} could not be started: ${this.spawnError.message}`;
    return s.signal !== null ? `${this.name} was killed by ${s.signal}` : `${this.name} exited with code ${String(s.code)}`;
  }
}

export function tailFile(path: string, lines: number): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '(no log)';
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n') || '(empty log)';
  } finally {
    closeSync(fd);
  }
}
