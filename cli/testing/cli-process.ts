import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** bin/polyfleet.js, as a user runs it. */
export const POLYFLEET_BIN = fileURLToPath(new URL('../../bin/polyfleet.js', import.meta.url));

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `polyfleet run` serves the inventory API on 127.0.0.1:8081 by default, so tests running several side
 * by side ask for a free port instead, unless they chose an address themselves.
 */
export function withFreeInventoryAddr(argv: readonly string[]): readonly string[] {
  return argv[0] === 'run' && !argv.some((a) => a === '--inventory-addr' || a.startsWith('--inventory-addr=')) ? [...argv, '--inventory-addr', '127.0.0.1:0'] : argv;
}

/** Runs polyfleet to completion in a new process (tests and scripts). */
export function runPolyfleet(cwd: string, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliResult {
  const r = spawnSync(process.execPath, [POLYFLEET_BIN, ...withFreeInventoryAddr(argv)], { cwd, env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A polyfleet process running in the background, with what it printed so far. */
export interface BackgroundPolyfleet {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null if a signal ended it). */
  readonly exited: Promise<number | null>;
}

export function startPolyfleet(cwd: string, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BackgroundPolyfleet {
  const child = spawn(process.execPath, [POLYFLEET_BIN, ...withFreeInventoryAddr(argv)], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => { resolve(code); }));
  return { child, stdout: () => out, stderr: () => err, exited };
}
