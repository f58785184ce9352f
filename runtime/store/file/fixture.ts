import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Machine, NodePool } from '../../../api/index.js';

/** What the file store's tests share: objects, temporary state files, a silent logger, polling. */
export const silentLogger = pino({ level: 'silent' });

export function nodePool(name = 'workers', namespace = 'default'): NodePool {
  return {
    apiVersion: 'polyfleet.io/v1alpha1',
    kind: 'NodePool',
    metadata: { name, namespace },
    spec: { replicas: 1, redundancy: '1:1', strategyRef: { name: 'cheap' }, template: {}, disruption: { maxUnavailable: 1 }, readyTimeoutSeconds: 900, remediation: { maxUnhealthy: '40%', windowSeconds: 600 }, dryRun: false, paused: false },
  };
}

export function machine(name: string, owners: readonly { kind: string; name: string; uid?: string | undefined }[] = [], finalizers?: string[]): Machine {
  return {
    apiVersion: 'polyfleet.io/v1alpha1',
    kind: 'Machine',
    metadata: {
      name,
      namespace: 'default',
      ...(finalizers ? { finalizers } : {}),
      ownerReferences: owners.map((o) => ({ apiVersion: 'polyfleet.io/v1alpha1', kind: o.kind, name: o.name, uid: o.uid ?? '' })),
    },
    spec: { pool: 'workers', provider: 'sim-a', providerType: 'sim', region: 'r1', zone: 'r1a', instanceType: 's1', slot: 0, failureDomain: 'sim-a/r1/r1a' },
  };
}

/** A fresh directory per call, removed by `removeTempDirs`. */
const dirs: string[] = [];
export function tempStatePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'polyfleet-state-'));
  dirs.push(dir);
  return join(dir, 'state.jsonl');
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Polls `check` until it returns true; fails after `ms` (a deadline on waiting, never a timing assertion). */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface Child {
  readonly process: ChildProcess;
  /** Complete stdout lines so far. */
  readonly lines: string[];
  stderr(): string;
  /** Resolves when the process has exited and its output is read. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs `child-processes/<script>` in its own Node process through tsx, as the CLI runs. */
export function spawnChild(script: string, args: readonly string[]): Child {
  const path = fileURLToPath(new URL(`./child-processes/${script}`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', path, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      resolve({ code, signal });
    });
  });
  return { process: child, lines, stderr: () => stderr, exited };
}
