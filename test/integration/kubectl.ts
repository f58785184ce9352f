import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess, type ProcessResult } from '../tools/run-process.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export type KubectlResult = ProcessResult;

/** Runs kubectl against the envtest API server (KUBECONFIG comes from the jest global setup). */
export function kubectl(args: readonly string[]): Promise<KubectlResult> {
  if (!process.env.KUBECONFIG) throw new Error('KUBECONFIG is not set: run integration suites through jest (its global setup starts the API server)');
  return runProcess('kubectl', args, { cwd: repoRoot });
}

/** kubectl that must succeed; its failure message carries kubectl's own output. */
export async function kubectlOk(args: readonly string[]): Promise<string> {
  const r = await kubectl(args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** The example folders a user applies: every one but examples/invalid. */
export function validExampleDirs(): string[] {
  const root = join(repoRoot, 'examples');
  return readdirSync(root)
    .filter((d) => d !== 'invalid' && statSync(join(root, d)).isDirectory())
    .map((d) => join('examples', d));
}
