import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The binaries the envtest runs, and the versions they were built at. */
export interface EnvtestBinaries {
  kubeApiserver: string;
  etcd: string;
  /** The kubectl the suites use: the one on PATH, or one built into the cache; "" if none. */
  kubectl?: string;
  k8sVersion: string;
  etcdVersion: string;
}

const buildScript = fileURLToPath(new URL('./build.sh', import.meta.url));

function isBinaries(value: unknown): value is EnvtestBinaries {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['kubeApiserver', 'etcd', 'k8sVersion', 'etcdVersion'].every((k) => typeof v[k] === 'string');
}

/**
 * Runs test/envtest/build.sh, which builds kube-apiserver and etcd with Go the first time (minutes)
 * and only checks its cache afterwards (milliseconds), or takes them from KUBEBUILDER_ASSETS.
 * Its progress goes straight to our stderr so whoever waits sees what is happening; it fails with
 * the script's own explanation (e.g. how to get the binaries without Go).
 */
export async function ensureBinaries(): Promise<EnvtestBinaries> {
  const child = spawn('bash', [buildScript], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
  });
  // Progress is passed on as it comes; the script's final `envtest: error: …` explanation is held
  // back and becomes the thrown error's message instead, so it reads well in jest's report and is
  // printed once.
  let stderr = '';
  let errorAt = -1;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    const from = stderr.length;
    stderr += chunk;
    if (errorAt < 0) errorAt = stderr.indexOf('envtest: error: ');
    const until = errorAt < 0 ? stderr.length : errorAt;
    if (until > from) process.stderr.write(stderr.slice(from, until));
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => { resolve(c); });
  });
  if (code !== 0) {
    const why = errorAt < 0 ? `${buildScript} failed (exit ${String(code)})` : stderr.slice(errorAt).trim();
    throw new Error(why);
  }
  const last = stdout.trim().split('\n').at(-1) ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(last);
  } catch {
    throw new Error(`envtest: ${buildScript} printed no binary list, got: ${stdout.trim() || '(nothing)'}`);
  }
  if (!isBinaries(parsed)) throw new Error(`envtest: unexpected output from ${buildScript}: ${last}`);
  return parsed;
}

/** The absolute path of an executable on PATH, or undefined. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The integration suites drive the API server with kubectl, as a user would; say how to get it. */
export function requireKubectl(binaries?: EnvtestBinaries): string {
  const kubectl = findOnPath('kubectl') ?? (binaries?.kubectl || undefined);
  if (kubectl === undefined) {
    throw new Error(
      'envtest: kubectl is not on PATH, and the integration tests apply CRDs and examples with it. ' +
        'Install it: https://kubernetes.io/docs/tasks/tools/ (Debian/Ubuntu: add the pkgs.k8s.io apt repository, ' +
        'then `apt-get install kubectl`), or any kubectl within one minor version of v1.35.',
    );
  }
  return kubectl;
}

/** PATH with kubectl's directory first, so every child (jest workers, run.sh's CMD) finds the same one. */
export function pathWithKubectl(kubectl: string): string {
  return [dirname(kubectl), process.env.PATH ?? ''].join(delimiter);
}
