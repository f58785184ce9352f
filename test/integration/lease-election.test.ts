// Two manager processes on the real API server: exactly one leads; SIGKILL it and the other leads
// within 20 s (a 15 s lease, renewed every 2 s).
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createNamespace, loadKubeConfig } from './cluster.js';
import { kubectlOk, repoRoot } from './kubectl.js';

const LEASE = 'polyfleet-controller';

/** A candidate process and every line it printed. */
class Candidate {
  readonly lines: string[] = [];
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();

  constructor(namespace: string) {
    this.child = spawn('npx', ['tsx', 'test/integration/fixtures/lease-candidate.ts', namespace, LEASE], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (this.child.stdout) {
      createInterface(this.child.stdout).on('line', (line) => {
        this.lines.push(line);
        for (const wake of this.waiters) wake();
      });
    }
  }

  /** The first printed line matching `pattern`; fails after `ms` (a deadline on waiting, not a measurement). */
  waitFor(pattern: RegExp, ms: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const line = this.lines.find((l) => pattern.test(l));
        if (line === undefined) return;
        done();
        resolve(line);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no line matching ${String(pattern)} within ${ms} ms; printed: ${JSON.stringify(this.lines)}`));
      }, ms);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  get identity(): string {
    return this.lines.find((l) => l.startsWith('candidate '))?.slice('candidate '.length) ?? '';
  }

  leads(): boolean {
    return this.lines.some((l) => l.startsWith('leading '));
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

/** `npx` runs tsx in a child of its own; SIGKILL must hit the process that holds the lease, so find it. */
function killTree(candidate: Candidate, signal: NodeJS.Signals): void {
  const pid = Number(candidate.identity.split('_').at(-2));
  try {
    if (Number.isInteger(pid) && pid > 0) process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error; // already gone
  }
  candidate.kill(signal);
}

describe('leader election on a Lease', () => {
  const candidates: Candidate[] = [];

  afterAll(() => {
    for (const c of candidates) killTree(c, 'SIGKILL');
  });

  it('elects exactly one of two processes, and the other takes over within 20 s of a SIGKILL', async () => {
    const namespace = await createNamespace(loadKubeConfig(), 'lease');
    candidates.push(new Candidate(namespace), new Candidate(namespace));
    const [a, b] = candidates;
    if (!a || !b) throw new Error('unreachable');
    await Promise.all([a.waitFor(/^candidate /, 60_000), b.waitFor(/^candidate /, 60_000)]);

    const first = await Promise.race([a.waitFor(/^leading /, 60_000).then(() => a), b.waitFor(/^leading /, 60_000).then(() => b)]);
    const leader = first;
    const follower = first === a ? b : a;
    // The follower has read the Lease and seen it held, so it has had its chance to lead, and did not.
    await follower.waitFor(new RegExp(`^observed ${leader.identity}$`), 30_000);
    expect(follower.leads()).toBe(false);
    expect(await kubectlOk(['get', 'lease', '-n', namespace, LEASE, '-o', 'jsonpath={.spec.holderIdentity}'])).toBe(leader.identity);

    killTree(leader, 'SIGKILL');
    await follower.waitFor(/^leading /, 20_000);
    const spec = JSON.parse(await kubectlOk(['get', 'lease', '-n', namespace, LEASE, '-o', 'jsonpath={.spec}'])) as {
      holderIdentity: string;
      leaseTransitions: number;
      leaseDurationSeconds: number;
    };
    expect(spec).toMatchObject({ holderIdentity: follower.identity, leaseDurationSeconds: 15 });
    expect(spec.leaseTransitions).toBeGreaterThanOrEqual(1);
  }, 150_000);
});
