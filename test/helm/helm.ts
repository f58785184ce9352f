// helm for the tests: test/tools/helm.sh builds it once (cached) and says how to get it if it
// cannot; the tests then run the binary directly, with helm's own config, cache and data in a
// directory of their own, never the user's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { runProcess, type ProcessResult } from '../tools/run-process.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CHART = join(REPO_ROOT, 'charts/polyfleet');
export const CRD_CHART = join(REPO_ROOT, 'charts/polyfleet-crd');
const HELM_SH = join(REPO_ROOT, 'test/tools/helm.sh');

let helmPath: string | undefined;
let helmHome: string | undefined;

/**
 * The helm binary, built by test/tools/helm.sh on first use (~2.5 min, progress on stderr); throws
 * with the script's own words (what to install) if it cannot be had. Never skips.
 */
export function ensureHelm(): string {
  if (helmPath !== undefined) return helmPath;
  const r = spawnSync(HELM_SH, ['--print-path'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20 * 60_000 });
  const path = r.stdout.trim().split('\n').at(-1);
  if (r.status !== 0 || path === undefined || path === '') {
    throw new Error(`test/tools/helm.sh could not provide helm (exit ${String(r.status)}):\n${r.stderr}${r.error === undefined ? '' : String(r.error)}`);
  }
  helmPath = path;
  return path;
}

export type HelmResult = ProcessResult;

/** Runs helm with `args` (KUBECONFIG as given, else the environment's); resolves however it exits. */
export function helm(args: readonly string[], options: { kubeconfig?: string } = {}): Promise<HelmResult> {
  const bin = ensureHelm();
  helmHome ??= mkdtempSync(join(tmpdir(), 'polyfleet-helm-home-'));
  const env = {
    ...process.env,
    HELM_CONFIG_HOME: join(helmHome, 'config'),
    HELM_CACHE_HOME: join(helmHome, 'cache'),
    HELM_DATA_HOME: join(helmHome, 'data'),
    ...(options.kubeconfig === undefined ? {} : { KUBECONFIG: options.kubeconfig }),
  };
  return runProcess(bin, args, { cwd: REPO_ROOT, env });
}

/** helm that must succeed; its failure names the command and carries helm's output. */
export async function helmOk(args: readonly string[], options: { kubeconfig?: string } = {}): Promise<string> {
  const r = await helm(args, options);
  if (r.code !== 0) throw new Error(`helm ${args.join(' ')} exited ${r.code}\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** A Kubernetes object as rendered. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** Every object of a multi-document YAML stream (empty documents dropped); throws on a YAML error. */
export function parseObjects(text: string): KubeObject[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS() as KubeObject | null;
    return value === null ? [] : [value];
  });
}

/** `helm template` of a chart: its objects. `set` are --set pairs, `values` files. */
export async function renderChart(options: { chart?: string; release?: string; namespace: string; set?: readonly string[]; values?: readonly string[]; extra?: readonly string[] }): Promise<KubeObject[]> {
  const args = ['template', options.release ?? 'polyfleet', options.chart ?? CHART, '--namespace', options.namespace];
  for (const s of options.set ?? []) args.push('--set', s);
  for (const v of options.values ?? []) args.push('--values', v);
  args.push(...(options.extra ?? []));
  return parseObjects(await helmOk(args));
}
