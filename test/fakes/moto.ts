import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { motoAmisJson } from './aws-amis.js';
import { startAwsFront } from './aws-front.js';
import type { AwsFrontOptions, Ec2ErrorReply } from './aws-front.js';

export interface Moto {
  /** The EC2 endpoint to put in `account.endpoint`: the front before moto. */
  readonly endpoint: string;
  /** The next request of EC2 `action` fails with `error` (see aws-front.ts). */
  inject(action: string, error: Ec2ErrorReply): void;
  /** EC2 requests of `action` the front received so far. */
  calls(action: string): number;
  /** Back to a fresh moto: no instances or images of anyone's, no injected error (moto's /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export type MotoOptions = AwsFrontOptions;

const INSTALL_HINT = "install it with `pip install 'moto[server]==5.2.1'`, or run .ci/run, which installs it into ~/.cache/polyfleet/moto";
const START_DEADLINE_MS = 60_000;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** moto_server on PATH, else $POLYFLEET_MOTO_SERVER, else the venv .ci/run makes (under $HOME). */
export function findMotoServer(env: NodeJS.ProcessEnv = process.env): string {
  const onPath = (env.PATH ?? '').split(delimiter).filter((d) => d !== '').map((d) => join(d, 'moto_server'));
  const candidates = [...onPath, env.POLYFLEET_MOTO_SERVER, join(env.HOME ?? homedir(), '.cache/polyfleet/moto/bin/moto_server')];
  const found = candidates.find((p): p is string => p !== undefined && p !== '' && isExecutable(p));
  if (found === undefined) throw new Error(`moto_server not found on PATH, in $POLYFLEET_MOTO_SERVER or in ~/.cache/polyfleet/moto: ${INSTALL_HINT}`);
  return found;
}

/** The port moto printed once it listens ("Running on http://127.0.0.1:PORT"). */
function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      reject(new Error(`moto_server did not start listening within ${START_DEADLINE_MS / 1000} s; it printed: ${seen.slice(-2000)}`));
    }, START_DEADLINE_MS);
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      const m = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`moto_server exited (${signal ?? `code ${String(code)}`}) before listening; it printed: ${seen.slice(-2000)}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * moto_server on a free loopback port, serving the AMI catalogue of aws-amis.ts, behind the
 * fault-injecting front of aws-front.ts. Stop it with stop(); it is also killed if this process exits.
 */
export async function startMoto(options: MotoOptions = {}): Promise<Moto> {
  const binary = findMotoServer();
  const dir = await mkdtemp(join(tmpdir(), 'polyfleet-moto-'));
  const amis = join(dir, 'amis.json');
  await writeFile(amis, motoAmisJson());
  const child = spawn(binary, ['-H', '127.0.0.1', '-p', '0'], { env: { ...process.env, MOTO_AMIS_PATH: amis }, stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const cleanUp = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const port = await listeningPort(child);
    // moto logs every request; nobody reads it, and a full pipe would stall it.
    child.stdout.resume();
    child.stderr.resume();
    const front = await startAwsFront(port, options);
    return {
      endpoint: front.endpoint,
      inject: (action, error) => {
        front.inject(action, error);
      },
      calls: (action) => front.calls(action),
      reset: async () => {
        front.disarm();
        const res = await fetch(`http://127.0.0.1:${port}/moto-api/reset`, { method: 'POST' });
        if (!res.ok) throw new Error(`moto's /moto-api/reset answered HTTP ${res.status}`);
      },
      stop: async () => {
        await front.close();
        await cleanUp();
      },
    };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}
