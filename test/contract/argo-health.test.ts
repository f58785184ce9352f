// Argo CD health checks (argo/health/<group>/<Kind>/health.lua) run by gopher-lua, the interpreter
// Argo CD embeds, through test/argo/driver as Argo CD's controller runs them (only the base, table
// and package libraries, plus a safe os; and again with every library open, as Argo CD's own tests
// do): every case of every health_test.yaml must give its healthStatus both ways. And
// argo/argocd-cm.yaml must be what argo/gen-argocd-cm.mjs makes of the same scripts.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const healthDir = join(repoRoot, 'argo/health');

interface HealthStatus { status?: string; message?: string }
interface Line { check?: string; input?: string; mode?: string; expected?: HealthStatus; got?: HealthStatus; error?: string; ok?: boolean; summary?: boolean; failed?: number; passed?: number }

/** Every check as `group/Kind`, with its cases as health_test.yaml lists them. */
const checks = readdirSync(healthDir)
  .filter((group) => statSync(join(healthDir, group)).isDirectory())
  .flatMap((group) => readdirSync(join(healthDir, group)).map((kind) => `${group}/${kind}`))
  .sort();
const cases = checks.flatMap((check) => {
  const tests = (parse(readFileSync(join(healthDir, check, 'health_test.yaml'), 'utf8')) as { tests: { inputPath: string; healthStatus: HealthStatus }[] }).tests;
  return tests.map((t) => ({ check, input: t.inputPath, expected: t.healthStatus }));
});

let lines: Line[] = [];

beforeAll(() => {
  const build = spawnSync('bash', [join(repoRoot, 'test/argo/build.sh')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`test/argo/build.sh could not build the health-check driver:\n${build.stderr}`);
  const driver = build.stdout.trim().split('\n').pop() ?? '';
  const run = spawnSync(driver, [healthDir], { encoding: 'utf8' });
  if (run.error !== undefined) throw run.error;
  lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
  if (run.status !== 0 && lines.every((l) => l.ok !== false)) throw new Error(`the driver exited ${String(run.status)}: ${run.stderr}`);
}, 600_000);

describe('Argo CD health checks under gopher-lua', () => {
  it('covers every kind polyfleet serves, and every health a NodePool can have', () => {
    expect(checks).toEqual(expect.arrayContaining(['polyfleet.io/NodePool', 'polyfleet.io/Machine', 'polyfleet.io/Strategy', 'polyfleet.io/PlacementRule']));
    const statuses = (check: string): string[] => [...new Set(cases.filter((c) => c.check === check).map((c) => c.expected.status ?? ''))].sort();
    expect(statuses('polyfleet.io/NodePool')).toEqual(['Degraded', 'Healthy', 'Progressing', 'Suspended']);
    expect(statuses('polyfleet.io/Machine')).toEqual(['Degraded', 'Healthy', 'Progressing']);
    expect(statuses('polyfleet.io/Strategy')).toEqual(['Degraded', 'Healthy', 'Progressing']);
    expect(statuses('polyfleet.io/PlacementRule')).toEqual(['Degraded', 'Healthy', 'Progressing']);
  });

  it.each(cases.map((c) => [`${c.check} ${c.input}`, c] as const))('%s', (_name, c) => {
    const runs = lines.filter((l) => l.check === c.check && l.input === c.input);
    // As Argo CD runs it (standard libraries closed) and as its own tests do (open): the same answer.
    expect(runs.map((r) => ({ mode: r.mode, got: r.got, error: r.error }))).toEqual([
      { mode: 'argocd', got: c.expected, error: undefined },
      { mode: 'openlibs', got: c.expected, error: undefined },
    ]);
  });

  it('has no file or script the cases do not account for', () => {
    expect(lines.filter((l) => l.summary !== true && l.mode === undefined)).toEqual([]);
    expect(lines.at(-1)).toMatchObject({ summary: true, failed: 0, passed: cases.length * 2 });
  });
});

describe('argo/argocd-cm.yaml', () => {
  it('is what argo/gen-argocd-cm.mjs makes of the scripts', () => {
    const check = spawnSync(process.execPath, [join(repoRoot, 'argo/gen-argocd-cm.mjs'), '--check'], { encoding: 'utf8' });
    expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('holds each script verbatim under resource.customizations.health.<group>_<Kind>', () => {
    const cm = parse(readFileSync(join(repoRoot, 'argo/argocd-cm.yaml'), 'utf8')) as { kind: string; metadata: { name: string }; data: Record<string, string> };
    expect(cm.kind).toBe('ConfigMap');
    expect(cm.metadata.name).toBe('argocd-cm');
    const expected = Object.fromEntries(checks.map((check) => {
      const [group, kind] = check.split('/');
      return [`resource.customizations.health.${group ?? ''}_${kind ?? ''}`, readFileSync(join(healthDir, check, 'health.lua'), 'utf8')];
    }));
    expect(cm.data).toEqual(expected);
  });
});
