// The Grafana dashboard (charts/polyfleet/dashboards/*.json) and the alerts
// (charts/polyfleet/files/prometheus-rules.yaml) against what a running `polyfleet controller`
// serves: the quickstart on the real API server, reconciled to Ready on the sim provider, then
// every metric name their queries use must be on /metrics, with the labels they select on.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';
import { kubectl, kubectlOk, repoRoot } from './kubectl.js';

const CHART = join(repoRoot, 'charts/polyfleet');
const dashboardFiles = readdirSync(join(CHART, 'dashboards')).filter((f) => f.endsWith('.json')).sort();
const rulesFile = join(CHART, 'files/prometheus-rules.yaml');

interface Target { expr?: string; datasource?: { uid?: string } }
interface Panel { id: number; type: string; title: string; gridPos: { x: number; y: number; w: number; h: number }; datasource?: { uid?: string }; targets?: Target[] }
interface Dashboard { uid: string; title: string; panels: Panel[]; templating: { list: { name: string; type: string; query?: string | { query: string } }[] } }
interface Rule { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }
interface RuleFile { groups: { name: string; rules: Rule[] }[] }

const dashboards = dashboardFiles.map((f) => ({ file: f, dashboard: JSON.parse(readFileSync(join(CHART, 'dashboards', f), 'utf8')) as Dashboard }));
const rules = parse(readFileSync(rulesFile, 'utf8')) as RuleFile;

/** Every PromQL query of a dashboard: panel targets, and the metric of each label_values variable. */
function dashboardQueries(d: Dashboard): string[] {
  const panels = d.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ''));
  const variables = d.templating.list.flatMap((v) => {
    const q = typeof v.query === 'string' ? v.query : v.query?.query;
    const metric = q === undefined ? undefined : /^label_values\(\s*([^,]+),/.exec(q)?.[1];
    return metric === undefined ? [] : [metric];
  });
  return [...panels, ...variables];
}

/** PromQL's own words: aggregations, functions, modifiers, operators. */
const PROMQL_WORDS = new Set([
  'sum', 'min', 'max', 'avg', 'count', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values', 'group',
  'rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'histogram_quantile', 'abs', 'absent', 'ceil', 'floor', 'round',
  'clamp', 'clamp_min', 'clamp_max', 'vector', 'scalar', 'time', 'label_replace', 'label_join', 'sort', 'sort_desc',
  'avg_over_time', 'min_over_time', 'max_over_time', 'sum_over_time', 'count_over_time', 'last_over_time', 'changes', 'resets',
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'offset', 'bool',
]);

/** The metric names a query reads (strings, matchers, ranges and label lists taken out first). */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)].map((m) => m[0]).filter((w) => !PROMQL_WORDS.has(w));
}

/** `name{label="…", …}` selectors of a query: the label names each selects on. */
function selectors(expr: string): { metric: string; labels: string[] }[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}/g)].map((m) => ({
    metric: m[1] ?? '',
    labels: [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1] ?? ''),
  }));
}

/** /metrics as families: name → type and the label names its samples carry. */
interface Family { type: string; labels: Set<string>; samples: number }
function families(text: string): Map<string, Family> {
  const found = new Map<string, Family>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type !== null) found.set(type[1] ?? '', { type: type[2] ?? '', labels: new Set(), samples: 0 });
  }
  for (const line of text.split('\n')) {
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? /.exec(line);
    if (sample === null) continue;
    const family = familyOf(found, sample[1] ?? '');
    if (family === undefined) continue;
    family.samples++;
    for (const l of (sample[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) family.labels.add(l[1] ?? '');
  }
  return found;
}

/** A sample or query name's family: itself, or the histogram (summary) whose _bucket, _sum or _count it is. */
function familyOf(all: Map<string, Family>, name: string): Family | undefined {
  const direct = all.get(name);
  if (direct !== undefined) return direct;
  const base = /^(.*)_(bucket|sum|count)$/.exec(name)?.[1];
  const family = base === undefined ? undefined : all.get(base);
  return family !== undefined && (family.type === 'histogram' || family.type === 'summary') ? family : undefined;
}

describe('dashboards and alerts on the metrics of a running controller', () => {
  let dir: string;
  let controller: BackgroundPolyfleet | undefined;
  let served: Map<string, Family>;

  beforeAll(async () => {
    await applyCrds();
    const namespace = await createNamespace(loadKubeConfig(), 'dashboards');
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-dashboards-'));
    await kubectlOk(['apply', '-n', namespace, '-f', join(repoRoot, 'examples/quickstart')]);
    controller = startPolyfleet(dir, ['controller', '--namespace', namespace, '--no-leader-elect', '--port', '0', '--sim-dir', join(dir, 'sim'), '--log-level', 'info']);
    const proc = controller;
    const url = await eventually(
      () => /"url":"(http:[^"]+)"/.exec(proc.stdout())?.[1],
      (u) => u !== undefined,
      'the controller to say where /metrics is',
      60_000,
    );
    await eventually(
      async () => (await kubectl(['get', 'nodepool', '-n', namespace, 'workers', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])).stdout,
      (ready) => ready === 'True',
      'the quickstart pool to be Ready',
      180_000,
    );
    const response = await fetch(`${url ?? ''}/metrics`);
    expect(response.status).toBe(200);
    served = families(await response.text());
  }, 300_000);

  afterAll(async () => {
    controller?.child.kill('SIGTERM');
    await controller?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  const sources = [
    ...dashboards.map(({ file, dashboard }) => [`dashboards/${file}`, dashboardQueries(dashboard)] as const),
    ['files/prometheus-rules.yaml', rules.groups.flatMap((g) => g.rules.map((r) => r.expr))] as const,
  ];

  it.each(sources)('every metric %s reads is on /metrics, with the labels it selects on', (_source, queries) => {
    const names = [...new Set(queries.flatMap(metricNames))].sort();
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => familyOf(served, n) === undefined)).toEqual([]);
    const missingLabels = queries.flatMap(selectors).flatMap(({ metric, labels }) => {
      const family = familyOf(served, metric);
      // A counter nothing has counted yet (no leak collected) shows no sample, hence no labels.
      if (family === undefined || family.samples === 0) return [];
      return labels.filter((l) => !family.labels.has(l) && l !== 'le').map((l) => `${metric}{${l}}`);
    });
    expect(missingLabels).toEqual([]);
  });

  it('serves the per-pool series the alerts need, for the quickstart pool', () => {
    for (const name of ['polyfleet_nodepool_condition', 'polyfleet_nodepool_machines', 'polyfleet_nodepool_desired_machines', 'polyfleet_nodepool_hourly_cost_dollars', 'polyfleet_gc_standing_down', 'polyfleet_provider_requests_total']) {
      expect({ name, samples: (served.get(name)?.samples ?? 0) > 0 }).toEqual({ name, samples: true });
    }
  });
});

describe('charts/polyfleet/files/prometheus-rules.yaml', () => {
  const alerts = rules.groups.flatMap((g) => g.rules);

  it('is a rule file: groups of named rules, nothing else', () => {
    expect(Object.keys(rules)).toEqual(['groups']);
    for (const g of rules.groups) expect(Object.keys(g).sort()).toEqual(['name', 'rules']);
    expect(new Set(rules.groups.map((g) => g.name)).size).toBe(rules.groups.length);
  });

  it('alerts on a pool over budget, Machines not Ready for long, failing cloud calls and a leak collector standing down', () => {
    expect(alerts.map((a) => a.alert)).toEqual(expect.arrayContaining([
      'PolyfleetNodePoolBudgetExceeded',
      'PolyfleetMachinesNotReady',
      'PolyfleetProviderErrorRatio',
      'PolyfleetLeakCollectorStandingDown',
    ]));
  });

  it.each(alerts.map((a) => [a.alert ?? a.record ?? '?', a] as const))('%s waits, says how bad, and says what to do', (_name, a) => {
    expect(a.for).toMatch(/^\d+[smh]$/);
    expect(['warning', 'critical']).toContain(a.labels?.severity);
    expect(a.annotations?.summary).toEqual(expect.any(String));
    expect(a.annotations?.description?.length ?? 0).toBeGreaterThan(80);
    // Balanced brackets: no promtool here, so at least no query cut short.
    for (const [open, close] of [['(', ')'], ['{', '}'], ['[', ']']] as const) expect(a.expr.split(open).length).toBe(a.expr.split(close).length);
  });
});

describe.each(dashboards)('charts/polyfleet/dashboards/$file', ({ dashboard }) => {
  it('has a uid, unique panel ids, and panels within the 24 columns', () => {
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dashboard.panels) expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
  });

  it('queries the data source chosen in its variable, never a fixed one', () => {
    expect(dashboard.templating.list.find((v) => v.name === 'datasource')?.type).toBe('datasource');
    for (const p of dashboard.panels.filter((q) => q.type !== 'row')) {
      expect({ panel: p.title, uid: p.datasource?.uid }).toEqual({ panel: p.title, uid: '${datasource}' });
      for (const t of p.targets ?? []) expect({ panel: p.title, uid: t.datasource?.uid }).toEqual({ panel: p.title, uid: '${datasource}' });
    }
  });
});
