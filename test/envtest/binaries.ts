import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The binaries the envtest runs, and the versions they were built at. */
export interface EnvtestBinaries {
  kubeApiserver: string;
  etcd: string;
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
  const child = spawn('bash', [buildScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c));
  });
  if (code !== 0) {
    throw new Error(`envtest: ${buildScript} failed (exit ${String(code)}); its explanation is printed above`);
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
export function requireKubectl(): string {
  const kubectl = findOnPath('kubectl');
  if (kubectl === undefined) {
    throw new Error(
      'envtest: kubectl is not on PATH, and the integration tests apply CRDs and examples with it. ' +
        'Install it: https://kubernetes.io/docs/tasks/tools/ (Debian/Ubuntu: add the pkgs.k8s.io apt repository, ' +
        'then `apt-get install kubectl`), or any kubectl within one minor version of v1.35.',
    );
  }
  return kubectl;
}
