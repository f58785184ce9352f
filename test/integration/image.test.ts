// The controller image (the repository's Dockerfile), built with podman (test/image/build.sh, on the
// local Node 24 base of test/tools/base-image.sh) and run as the chart's Deployment runs it: what is
// in it (production node_modules, dist/ and the npm package's files; no sources, tests or dev
// dependencies), its configuration (uid 65532, entrypoint polyfleet, OCI labels), `polyfleet --help`
// as uid 65532 on a read-only root file system, and `polyfleet controller` from the image on the
// host's network against the test kube-apiserver, authenticated as the chart's ServiceAccount the
// way a pod is (its token, CA and namespace under /var/run/secrets/kubernetes.io/serviceaccount,
// KUBERNETES_SERVICE_HOST/PORT), with the Deployment's own arguments, environment, security context
// and volumes, until the quickstart pool (sim provider) is Ready.
//
// The API server is shared with the other suites, so the chart runs namespace-scoped
// (watchNamespaces: one pool namespace of this test's own; a cluster-wide controller would take
// every other suite's pools too), under a release name of its own, and every RBAC object it applied
// is deleted afterwards. Without podman the suite fails and says how to install it; it never skips.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { readEnvtestInfo } from '../envtest/info.js';
import { freeLoopbackPorts } from '../envtest/ports.js';
import { ensureHelm, renderChart, type KubeObject } from '../helm/helm.js';
import { applyCrds, eventually } from './cluster.js';
import { kubectl, kubectlOk, repoRoot } from './kubectl.js';

const PODMAN = join(repoRoot, 'test/image/podman.sh');
const BUILD = join(repoRoot, 'test/image/build.sh');
const TAG = 'localhost/polyfleet:dev';
/** The uid and gid the image runs as (Dockerfile USER), and the chart's runAsUser/runAsGroup. */
const UID = 65532;
/** Where a pod finds its ServiceAccount's token, CA and namespace (client-node's in-cluster config). */
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const RBAC_KINDS = new Set(['ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
/** Dev tools that must not be in the image, checked by name besides the lock file's dev flags. */
const DEV_TOOLS = ['typescript', 'tsx', 'esbuild', 'jest', '@jest/globals', '@swc/core', '@swc/jest', 'eslint', 'dependency-cruiser', 'typescript-eslint'];

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Without jest's NODE_OPTIONS (--experimental-vm-modules), which would reach every node the scripts start. */
function scriptEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}

/**
 * Runs a command to completion, asynchronously (the event loop, and so jest's timers, keep going).
 * `progress`: stderr lines it matches are copied to this process's stderr as they come.
 */
function run(command: string, args: readonly string[], options: { timeoutMs?: number; progress?: RegExp } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: repoRoot, env: scriptEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      if (options.progress === undefined) return;
      const lines = (partial + s).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (options.progress.test(line)) process.stderr.write(`${line}\n`);
    });
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const podman = (args: readonly string[], timeoutMs = 120_000): Promise<Run> => run(PODMAN, args, { timeoutMs });

async function podmanOk(args: readonly string[], timeoutMs?: number): Promise<string> {
  const r = await podman(args, timeoutMs);
  if (r.code !== 0) throw new Error(`test/image/podman.sh ${args.join(' ')} exited ${String(r.code)}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** HEAD's commit, or "unknown" as build.sh has it where there is no git. */
async function revision(): Promise<string> {
  const r = await run('git', ['rev-parse', 'HEAD']).catch(() => undefined);
  return r?.code === 0 ? r.stdout.trim() : 'unknown';
}

const lastLines = (text: string, n: number): string => text.trimEnd().split('\n').slice(-n).join('\n');
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

const asRoot = process.getuid?.() === 0;

/** A host directory for a volume, owned by the pod's uid and fsGroup (as root; else open to all). */
function volumeDir(path: string): string {
  mkdirSync(path, { recursive: true });
  if (asRoot) chownSync(path, UID, UID);
  chmodSync(path, asRoot ? 0o700 : 0o777);
  return path;
}

/** Files the container's uid may read, and nothing else write, in a directory of their own. */
function readOnlyDir(path: string, files: Record<string, string>): string {
  mkdirSync(path, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(path, name), content, { mode: 0o444 });
    if (asRoot) chownSync(join(path, name), UID, UID);
  }
  if (asRoot) chownSync(path, UID, UID);
  chmodSync(path, 0o555);
  return path;
}

/** Every file under `dir`, relative to it, sorted. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** "a/ (3 files), b" for files "a/1", "a/2", "a/3", "b". */
function topEntries(files: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const f of files) {
    const [top = f, ...rest] = f.split('/');
    const key = rest.length > 0 ? `${top}/` : top;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts.size === 0 ? 'nothing' : [...counts].map(([k, n]) => (k.endsWith('/') ? `${k} (${n} files)` : k)).join(', ');
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => { resolve(0); });
    req.setTimeout(2000, () => req.destroy());
  });
}

/** What the image holds, as node inside it sees it (the image has no shell beyond dash, and no ls). */
interface Contents {
  app: string[];
  bin: string[];
  dist: string[];
  /** .ts/.mts/.cts files (not .d.ts) under /app outside node_modules. */
  sourcesOutsideNodeModules: string[];
  /** Keys of /app/package-lock.json's "packages" (node_modules/...) present in /app. */
  installed: string[];
  /** Top-level node_modules entries (scoped ones as @scope/name). */
  topLevel: string[];
  bytes: { app: number; nodeModules: number; dist: number; crds: number; examples: number };
  files: { app: number; nodeModules: number };
  node: string;
  polyfleetOnPath: string;
  workDir: { path: string; uid: number; gid: number };
  uid: number;
  gid: number;
  /** What writing a file in each place did: "written" or the error code. */
  writes: Record<string, string>;
}

const INSPECT_SCRIPT = String.raw`
const fs = require('fs'), path = require('path');
const walk = (dir, out = []) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out); else out.push([p, fs.lstatSync(p).size]);
  }
  return out;
};
const all = walk('/app');
const sum = (prefix) => all.filter(([p]) => p.startsWith(prefix)).reduce((s, [, n]) => s + n, 0);
const lock = JSON.parse(fs.readFileSync('/app/package-lock.json', 'utf8'));
const topLevel = fs.readdirSync('/app/node_modules').filter((n) => !n.startsWith('.'))
  .flatMap((n) => n.startsWith('@') ? fs.readdirSync('/app/node_modules/' + n).map((m) => n + '/' + m) : [n]);
const writes = {};
for (const dir of ['/', '/app', '/tmp', '/var/lib/polyfleet']) {
  try { fs.writeFileSync(path.join(dir, 'probe'), 'x'); writes[dir] = 'written'; } catch (e) { writes[dir] = e.code; }
}
const work = fs.statSync('/var/lib/polyfleet');
console.log(JSON.stringify({
  app: fs.readdirSync('/app').sort(),
  bin: fs.readdirSync('/app/bin').sort(),
  dist: fs.readdirSync('/app/dist').sort(),
  sourcesOutsideNodeModules: all.map(([p]) => p).filter((p) => !p.startsWith('/app/node_modules/') && /\.[cm]?ts$/.test(p) && !/\.d\.[cm]?ts$/.test(p)),
  installed: Object.keys(lock.packages).filter((k) => k !== '' && fs.existsSync('/app/' + k)),
  topLevel,
  bytes: { app: sum('/app/'), nodeModules: sum('/app/node_modules/'), dist: sum('/app/dist/'), crds: sum('/app/crds/'), examples: sum('/app/examples/') },
  files: { app: all.length, nodeModules: all.filter(([p]) => p.startsWith('/app/node_modules/')).length },
  node: process.version,
  polyfleetOnPath: fs.readlinkSync('/usr/local/bin/polyfleet'),
  workDir: { path: process.cwd(), uid: work.uid, gid: work.gid },
  uid: process.getuid(), gid: process.getgid(),
  writes,
}));
`;

interface ImageConfig {
  Id: string;
  Size: number;
  RootFS?: { Layers?: string[] };
  Config: { User?: string; Entrypoint?: string[]; Cmd?: string[]; WorkingDir?: string; Env?: string[]; ExposedPorts?: Record<string, unknown>; Labels?: Record<string, string> };
}

interface DeploymentView {
  spec: {
    template: {
      spec: {
        securityContext?: { runAsUser?: number; runAsGroup?: number; fsGroup?: number; runAsNonRoot?: boolean };
        containers: {
          image: string;
          args: string[];
          env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
          volumeMounts?: { name: string; mountPath: string }[];
          securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; runAsNonRoot?: boolean; capabilities?: { drop?: string[] } };
        }[];
        volumes?: { name: string; emptyDir?: unknown }[];
      };
    };
  };
}

describe('the controller image', () => {
  const suffix = randomBytes(4).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'polyfleet-image-'));
  const containerName = `polyfleet-image-test-${suffix}`;
  let image: ImageConfig;
  let buildSeconds = 0;
  /** The checkout's commit as the build started (others may commit while it runs). */
  let revisionAtBuild = '';
  /** RBAC objects this test applied (deleted afterwards: the API server outlives the suite). */
  let appliedRbac: string | undefined;
  let containerStarted = false;

  beforeAll(async () => {
    revisionAtBuild = await revision();
    const started = performance.now();
    const built = await run(BUILD, [TAG], { timeoutMs: 20 * 60_000, progress: /^(image|base-image): |^\[\d+\/\d+\] STEP |^podman is not installed|^ {2}apt-get/ });
    buildSeconds = (performance.now() - started) / 1000;
    if (built.code === 127) throw new Error(`podman is needed to build and run the image (test/image/build.sh exited 127):\n${built.stderr}`);
    if (built.code !== 0) throw new Error(`test/image/build.sh ${TAG} exited ${String(built.code)} after ${buildSeconds.toFixed(0)} s; the end of its output:\n${lastLines(built.stderr, 60)}`);
    const id = lastLines(built.stdout, 1);
    [image] = JSON.parse(await podmanOk(['image', 'inspect', TAG])) as [ImageConfig];
    expect(image.Id).toBe(id);
    ensureHelm();
  }, 25 * 60_000);

  afterAll(async () => {
    if (containerStarted) await podman(['rm', '--force', '--time', '5', containerName]);
    rmSync(join(dir, 'volumes'), { recursive: true, force: true });
    if (appliedRbac !== undefined) {
      const deleted = await kubectl(['delete', '--ignore-not-found', '--wait=false', '-f', appliedRbac]);
      if (deleted.code !== 0) throw new Error(`could not delete the chart's RBAC objects (${appliedRbac}), left in the shared API server:\n${deleted.stderr}`);
    }
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('is configured to run polyfleet controller as uid 65532 from /var/lib/polyfleet, with OCI labels', async () => {
    const config = image.Config;
    expect(config.User).toBe(`${UID}:${UID}`);
    expect(config.Entrypoint).toEqual(['polyfleet']);
    expect(config.Cmd).toEqual(['controller']);
    expect(config.WorkingDir).toBe('/var/lib/polyfleet');
    expect(config.Env).toContain('NODE_ENV=production');
    expect(Object.keys(config.ExposedPorts ?? {})).toEqual(['8080/tcp']);
    const labels = config.Labels ?? {};
    expect(labels).toMatchObject({
      'org.opencontainers.image.title': 'polyfleet',
      'org.opencontainers.image.licenses': 'Apache-2.0',
      'org.opencontainers.image.version': (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version,
      'org.opencontainers.image.base.name': expect.stringMatching(/node/),
    });
    expect(labels['org.opencontainers.image.description']).toMatch(/\S/);
    // The revision is the checkout's commit, the date this build's: not those of a cached build.
    expect([revisionAtBuild, await revision()]).toContain(labels['org.opencontainers.image.revision']);
    const created = Date.parse(labels['org.opencontainers.image.created'] ?? '');
    expect(Date.now() - created).toBeLessThan(buildSeconds * 1000 + 120_000);
  });

  it('holds production node_modules, dist/ and the package files only: no sources, tests or dev dependencies', async () => {
    const r = await podman(['run', '--rm', '--network', 'none', '--read-only', '--read-only-tmpfs=false', '--user', `${UID}:${UID}`, '--entrypoint', 'node', TAG, '-e', INSPECT_SCRIPT]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const c = JSON.parse(r.stdout) as Contents;
    // package.json "files" (bin/polyfleet.js and bin/dist-stamp.js, dist/, crds/, examples/, the web
    // view's web/static/), the manifest and lock file, and production node_modules: nothing else.
    expect(c.app).toEqual(['bin', 'crds', 'dist', 'examples', 'node_modules', 'package-lock.json', 'package.json', 'web']);
    expect(c.bin).toEqual(['dist-stamp.js', 'polyfleet-ansible-inventory', 'polyfleet.js']);
    expect(c.dist).toEqual(expect.arrayContaining(['build-stamp.json', 'cli']));
    expect(c.sourcesOutsideNodeModules).toEqual([]);
    // Every installed package is a production one (the lock file's dev flag), and every dependency is there.
    const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    expect(c.installed.filter((k) => lock.packages[k]?.dev === true)).toEqual([]);
    expect(c.installed.filter((k) => lock.packages[k] === undefined)).toEqual([]);
    for (const tool of DEV_TOOLS) expect(c.topLevel).not.toContain(tool);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(c.topLevel).toEqual(expect.arrayContaining(Object.keys(pkg.dependencies)));
    expect(c.node).toMatch(/^v24\./);
    expect(c.polyfleetOnPath).toBe('/app/bin/polyfleet.js');
    // Its user, and the one directory it owns; with --read-only nothing else can be written.
    expect({ uid: c.uid, gid: c.gid }).toEqual({ uid: UID, gid: UID });
    expect(c.workDir).toEqual({ path: '/var/lib/polyfleet', uid: UID, gid: UID });
    expect(c.writes).toEqual({ '/': 'EROFS', '/app': 'EROFS', '/tmp': 'EROFS', '/var/lib/polyfleet': 'EROFS' });

    const base = JSON.parse(await podmanOk(['image', 'inspect', image.Config.Labels?.['org.opencontainers.image.base.name'] ?? ''])) as [ImageConfig];
    console.log(
      `polyfleet image ${TAG}: ${mb(image.Size)} (${image.RootFS?.Layers?.length ?? '?'} layers; built in ${buildSeconds.toFixed(0)} s) = ` +
        `base ${mb(base[0].Size)} (Node ${c.node}, npm) + /app ${mb(c.bytes.app)} in ${c.files.app} files: ` +
        `node_modules ${mb(c.bytes.nodeModules)} (${c.installed.length} production packages, ${c.files.nodeModules} files), ` +
        `dist ${mb(c.bytes.dist)}, crds ${mb(c.bytes.crds)}, examples ${mb(c.bytes.examples)}, package.json, package-lock.json, bin/polyfleet.js, bin/dist-stamp.js; ` +
        `user ${image.Config.User ?? '?'}, entrypoint ${JSON.stringify(image.Config.Entrypoint)} cmd ${JSON.stringify(image.Config.Cmd)}`,
    );
  }, 120_000);

  it('runs polyfleet --help as uid 65532 on a read-only root file system', async () => {
    const r = await podman(['run', '--rm', '--network', 'none', '--read-only', '--read-only-tmpfs=false', '--user', `${UID}:${UID}`, '--cap-drop', 'all', '--security-opt', 'no-new-privileges', TAG, '--help']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toContain('Usage: polyfleet <command> [flags]');
    expect(r.stdout).toMatch(/^ {2}controller +run every controller against a Kubernetes API server/m);
  }, 120_000);

  it("runs polyfleet controller as the chart's Deployment does, as its ServiceAccount, until the quickstart pool is Ready", async () => {
    const info = readEnvtestInfo();
    const server = new URL(info.server);
    const releaseNamespace = `pf-image-${suffix}`;
    const pools = `pf-image-pools-${suffix}`;
    const release = `pf-image-${suffix}`;
    const [metricsPort = 0] = await freeLoopbackPorts(1);

    await applyCrds();
    for (const ns of [releaseNamespace, pools]) await kubectlOk(['create', 'namespace', ns]);
    const [repository, tag] = TAG.split(/:(?=[^:]+$)/) as [string, string];
    const objects: KubeObject[] = await renderChart({
      release,
      namespace: releaseNamespace,
      set: [`image.repository=${repository}`, `image.tag=${tag}`, `watchNamespaces={${pools}}`, `metrics.port=${metricsPort}`],
    });

    // The chart's RBAC objects, applied as rendered.
    appliedRbac = join(dir, 'rbac.yaml');
    writeFileSync(appliedRbac, objects.filter((o) => RBAC_KINDS.has(o.kind)).map((o) => stringify(o)).join('---\n'));
    await kubectlOk(['apply', '-f', appliedRbac]);
    const sa = objects.find((o) => o.kind === 'ServiceAccount');
    if (sa === undefined) throw new Error('the chart renders no ServiceAccount');
    const token = (await kubectlOk(['create', 'token', sa.metadata.name, '-n', releaseNamespace, '--duration=1h'])).trim();

    // The Deployment's pod, as podman flags: its image, arguments, environment, security context and volumes.
    const deployment = objects.find((o) => o.kind === 'Deployment') as (KubeObject & DeploymentView) | undefined;
    if (deployment === undefined) throw new Error('the chart renders no Deployment');
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    if (container === undefined) throw new Error('the Deployment has no container');
    expect(container.image).toBe(TAG);
    expect(pod.securityContext).toMatchObject({ runAsUser: UID, runAsGroup: UID, fsGroup: UID, runAsNonRoot: true });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    const env = (container.env ?? []).map((e) => {
      if (e.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace') return `${e.name}=${releaseNamespace}`;
      if (e.value !== undefined) return `${e.name}=${e.value}`;
      throw new Error(`the Deployment's env ${e.name} is neither a value nor the pod's namespace`);
    });
    expect(env).toEqual([`POD_NAMESPACE=${releaseNamespace}`]);
    // Each volume an emptyDir, here a host directory of this test's own owned by the pod's fsGroup.
    const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
    const mounts = (container.volumeMounts ?? []).map((m) => {
      expect(volumes.get(m.name)?.emptyDir).toBeDefined();
      return { ...m, host: volumeDir(join(dir, 'volumes', m.name)) };
    });
    expect(mounts.map((m) => m.mountPath).sort()).toEqual(['/tmp', '/var/lib/polyfleet']);
    // What the kubelet mounts for the ServiceAccount, and the Service's address it puts in the environment.
    const saDir = readOnlyDir(join(dir, 'serviceaccount'), { token, 'ca.crt': readFileSync(info.caFile, 'utf8'), namespace: releaseNamespace });

    const argv = [
      'run', '--rm', '--name', containerName,
      // The host's network: the envtest listens on 127.0.0.1. The probes stay on loopback here
      // (the pod binds 0.0.0.0 in a network namespace of its own).
      '--network', 'host',
      '--read-only', '--read-only-tmpfs=false',
      '--user', `${UID}:${UID}`, '--cap-drop', 'all', '--security-opt', 'no-new-privileges',
      ...env.flatMap((e) => ['--env', e]),
      '--env', `KUBERNETES_SERVICE_HOST=${server.hostname}`, '--env', `KUBERNETES_SERVICE_PORT=${server.port}`,
      '--volume', `${saDir}:${SERVICE_ACCOUNT_DIR}:ro`,
      ...mounts.flatMap((m) => ['--volume', `${m.host}:${m.mountPath}`]),
      TAG, ...container.args, '--bind-address=127.0.0.1',
    ];
    expect(container.args).toEqual(expect.arrayContaining(['controller', '--leader-elect', `--port=${metricsPort}`, `--namespace=${pools}`]));
    containerStarted = true;
    const started = performance.now();
    const controller = spawn(PODMAN, argv, { cwd: repoRoot, env: scriptEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    controller.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    controller.stderr.setEncoding('utf8').on('data', (s: string) => (out += s));
    const exited = new Promise<number | null>((resolve) => controller.on('close', resolve));
    const alive = (): void => {
      if (controller.exitCode !== null) throw new Error(`the controller's container exited ${controller.exitCode}:\n${lastLines(out, 40)}`);
    };
    try {
      await eventually(
        async () => (alive(), (await kubectl(['get', 'lease', '-n', releaseNamespace, 'polyfleet-controller', '-o', 'jsonpath={.spec.holderIdentity}'])).stdout),
        (holder) => holder !== '',
        'the controller in the image to take the Lease',
        120_000,
      );
      await kubectlOk(['apply', '-n', pools, '-f', join(repoRoot, 'examples/quickstart')]);
      const pool = await eventually(
        async () => (alive(), JSON.parse(await kubectlOk(['get', 'nodepool', '-n', pools, 'workers', '-o', 'json'])) as { status?: { conditions?: { type: string; status: string }[]; readyReplicas?: number } }),
        (p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true,
        'the quickstart pool to be Ready',
        240_000,
      );
      const readySeconds = (performance.now() - started) / 1000;
      const machines = (JSON.parse(await kubectlOk(['get', 'machines', '-n', pools, '-o', 'json'])) as { items: { status?: { phase?: string } }[] }).items;
      expect(machines.filter((m) => m.status?.phase === 'Running')).toHaveLength(7);
      expect(await httpStatus(`http://127.0.0.1:${metricsPort}/readyz`)).toBe(200);
      expect(await httpStatus(`http://127.0.0.1:${metricsPort}/healthz`)).toBe(200);

      // A pod's stop: SIGTERM, then the grace period; the controller finishes and exits 0.
      const stop = await podman(['stop', '--time', '45', containerName], 90_000);
      expect(stop.code).toBe(0);
      expect(await exited).toBe(0);
      containerStarted = false;

      // It wrote only into its volumes: the simulated cloud's instances in its working directory.
      const written = Object.fromEntries(mounts.map((m) => [m.mountPath, filesUnder(m.host)]));
      expect(written['/var/lib/polyfleet']?.some((f) => f.startsWith('.polyfleet/sim/'))).toBe(true);
      console.log(
        `polyfleet controller from ${TAG}: the quickstart pool Ready (${pool.status?.readyReplicas ?? '?'} ready, ${machines.length} Machines Running) ` +
          `${readySeconds.toFixed(1)} s after podman run; it wrote ${Object.entries(written).map(([path, files]) => `${path}: ${topEntries(files)}`).join('; ')}`,
      );
    } catch (e) {
      throw new Error(`${e instanceof Error ? e.message : String(e)}\nthe controller's output, last lines:\n${lastLines(out, 40)}`);
    } finally {
      if (controller.exitCode === null) {
        await podman(['rm', '--force', '--time', '5', containerName]);
        await exited;
      }
    }
  }, 8 * 60_000);
});
