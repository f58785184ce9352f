import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinaries, type EnvtestBinaries } from './binaries.js';
import { ADMIN_USER, readSelfSignedCa, writeApiServerCredentials } from './credentials.js';
import { writeKubeconfig } from './kubeconfig.js';
import { freeLoopbackPorts } from './ports.js';
import { ServerProcess } from './process.js';

export interface EnvtestOptions {
  /** Binaries to run; by default test/envtest/build.sh provides them (building on first use). */
  binaries?: EnvtestBinaries;
  /** How long etcd plus kube-apiserver may take to become ready. Default 60 s. */
  startTimeoutMs?: number;
  /**
   * Stop the servers and remove the data dir on SIGINT, SIGTERM and SIGHUP, then re-raise the
   * signal. Default true; run-cli.ts turns it off because it stops in order itself.
   */
  handleSignals?: boolean;
  /** Leave the data dir (logs, etcd data, kubeconfig) after stop(). Default: POLYFLEET_ENVTEST_KEEP=1. */
  keepDataDir?: boolean;
  /** More kube-apiserver flags (`--name=value`), appended after the harness's own. */
  apiServerFlags?: readonly string[];
  /**
   * Write an audit log: every request's metadata (user, verb, resource, subresource, namespace,
   * name, response code) as JSON lines at `auditLogPath`, written before the request is answered
   * (a watch: once when it starts, once when it ends), so a request that returned is in the file.
   * Default false.
   */
  audit?: boolean;
}

/** Every request at level Metadata, as it is answered (and as a watch starts); one auditID per request. */
const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
`;

export interface Envtest {
  /** A kubeconfig whose current context is an admin (group system:masters) of this API server. */
  kubeconfigPath: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** Bearer token of the admin user. */
  token: string;
  /** The CA that signed the serving certificate (PEM), and the file holding it. */
  caPem: string;
  caFile: string;
  /** Temporary directory with etcd's data, certificates, keys, logs and the kubeconfig. */
  dataDir: string;
  /** http://127.0.0.1:<port> of the etcd behind the API server. */
  etcdEndpoint: string;
  k8sVersion: string;
  etcdVersion: string;
  /** The audit log (JSON lines of audit.k8s.io/v1 Events) when started with `audit: true`. */
  auditLogPath: string | undefined;
  /** Stops kube-apiserver and starts it again on the same port against the same etcd. */
  restartApiServer(): Promise<void>;
  /** Stops both servers and removes dataDir. Safe to call twice. */
  stop(): Promise<void>;
}

const DATA_DIR_PREFIX = 'polyfleet-envtest-';
const OWNER_FILE = 'owner.pid';

/** Envtests of this process still running, killed synchronously if the process exits first. */
const live = new Set<{ killNow(): void }>();
let exitHookInstalled = false;
const signalHooks = new Map<NodeJS.Signals, () => void>();

function killAllNow(): void {
  for (const envtest of live) envtest.killNow();
  live.clear();
}

function installExitHooks(handleSignals: boolean): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', killAllNow);
  }
  if (!handleSignals) return;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    if (signalHooks.has(signal)) continue;
    const hook = (): void => {
      killAllNow();
      for (const [s, h] of signalHooks) process.removeListener(s, h);
      signalHooks.clear();
      process.kill(process.pid, signal); // the default action, now that we are out of the way
    };
    signalHooks.set(signal, hook);
    process.on(signal, hook);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes data dirs left by envtests whose owning process died without cleaning up (SIGKILL),
 * first killing any server still running from one (only processes whose command line names that
 * dir, so a recycled pid is never hit).
 */
function reapAbandonedDataDirs(): void {
  const base = tmpdir();
  let entries: string[];
  try {
    entries = readdirSync(base).filter((e) => e.startsWith(DATA_DIR_PREFIX));
  } catch {
    return;
  }
  for (const entry of entries) {
    const dir = join(base, entry);
    let owner: number;
    try {
      owner = Number.parseInt(readFileSync(join(dir, OWNER_FILE), 'utf8'), 10);
    } catch {
      continue; // not ours, or being set up right now
    }
    if (!Number.isInteger(owner) || isAlive(owner)) continue;
    if (existsSync('/proc')) {
      for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
        try {
          if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`${dir}/`)) process.kill(Number(pid), 'SIGKILL');
        } catch {
          // gone, or not ours to read
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

interface HttpResult {
  status: number;
  body: string;
}

function get(url: string, opts: { ca?: string; token?: string; timeoutMs?: number } = {}): Promise<HttpResult> {
  const { ca, token, timeoutMs = 2_000 } = opts;
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  return new Promise<HttpResult>((resolve, reject) => {
    const req = url.startsWith('https:')
      ? httpsRequest(url, { headers, ca, timeout: timeoutMs, agent: false })
      : httpRequest(url, { headers, timeout: timeoutMs, agent: false });
    req.once('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.once('error', reject);
    req.once('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.once('end', () => { resolve({ status: res.statusCode ?? 0, body }); });
      res.once('error', reject);
    });
    req.end();
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns true. Fails early if the process exits, or at the deadline, in
 * both cases with the last lines of the process's log and the last probe result.
 */
async function waitReady(
  server: ServerProcess,
  what: string,
  deadline: number,
  probe: () => Promise<{ ready: boolean; detail: string }>,
): Promise<void> {
  let last = 'not probed yet';
  for (;;) {
    if (server.exitStatus !== undefined) {
      throw new Error(
        `envtest: ${server.describeExit()} before ${what} was ready.\n--- last lines of ${server.logPath} ---\n${server.tail()}`,
      );
    }
    try {
      const result = await probe();
      if (result.ready) return;
      last = result.detail;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `envtest: ${what} not ready in time (last probe: ${last}).\n--- last lines of ${server.logPath} ---\n${server.tail()}`,
      );
    }
    await sleep(100);
  }
}

/**
 * Starts etcd and kube-apiserver on free loopback ports with a fresh data dir, waits until
 * /readyz answers for the admin token, and writes a kubeconfig. See test/envtest/README.md.
 */
export async function startEnvtest(options: EnvtestOptions = {}): Promise<Envtest> {
  const binaries = options.binaries ?? (await ensureBinaries());
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const keepDataDir = options.keepDataDir ?? process.env.POLYFLEET_ENVTEST_KEEP === '1';
  installExitHooks(options.handleSignals ?? true);
  reapAbandonedDataDirs();

  const dataDir = mkdtempSync(join(tmpdir(), DATA_DIR_PREFIX));
  writeFileSync(join(dataDir, OWNER_FILE), `${process.pid}\n`);
  const logDir = join(dataDir, 'logs');
  const certDir = join(dataDir, 'apiserver-certs');
  mkdirSync(logDir);
  mkdirSync(certDir);
  const [etcdPort, etcdPeerPort, apiPort] = await freeLoopbackPorts(3);
  if (etcdPort === undefined || etcdPeerPort === undefined || apiPort === undefined) throw new Error('no free ports');
  const etcdEndpoint = `http://127.0.0.1:${etcdPort}`;
  const server = `https://127.0.0.1:${apiPort}`;
  const credentials = writeApiServerCredentials(dataDir);
  const auditLogPath = options.audit === true ? join(logDir, 'audit.log') : undefined;
  const auditFlags: string[] = [];
  if (auditLogPath !== undefined) {
    const policyFile = join(dataDir, 'audit-policy.yaml');
    writeFileSync(policyFile, AUDIT_POLICY);
    auditFlags.push(`--audit-policy-file=${policyFile}`, `--audit-log-path=${auditLogPath}`, '--audit-log-format=json', '--audit-log-mode=blocking');
  }

  let etcd: ServerProcess | undefined;
  let apiserver: ServerProcess | undefined;
  let stopped: Promise<void> | undefined;
  const handle = {
    killNow(): void {
      apiserver?.killNow();
      etcd?.killNow();
      if (!keepDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  live.add(handle);

  const etcdArgs = [
    '--name=envtest',
    `--data-dir=${join(dataDir, 'etcd')}`,
    `--listen-client-urls=${etcdEndpoint}`,
    `--advertise-client-urls=${etcdEndpoint}`,
    `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
    `--initial-cluster=envtest=http://127.0.0.1:${etcdPeerPort}`,
    // A single throwaway member: elect at once, never wait for the disk.
    '--heartbeat-interval=10',
    '--election-timeout=100',
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
  const apiServerArgs = [
    `--etcd-servers=${etcdEndpoint}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${apiPort}`,
    `--cert-dir=${certDir}`, // no --tls-cert-file: it generates a CA and a serving cert for 127.0.0.1 there
    '--service-cluster-ip-range=10.0.0.0/24',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${credentials.serviceAccountPublicKeyFile}`,
    `--service-account-signing-key-file=${credentials.serviceAccountSigningKeyFile}`,
    `--token-auth-file=${credentials.tokenFile}`,
    '--authorization-mode=RBAC',
    // No controller-manager runs here, so nothing creates the `default` ServiceAccount that this
    // plugin would demand of every pod (controller-runtime's envtest disables it too).
    '--disable-admission-plugins=ServiceAccount',
    '--enable-priority-and-fairness=false',
    // The default reconciler would publish 127.0.0.1 as the `kubernetes` Service's endpoint, which
    // validation refuses (loopback), logging an error every 10 s; nothing here runs in-cluster.
    '--endpoint-reconciler-type=none',
    '--allow-privileged=true',
    '--profiling=false',
    ...auditFlags,
    ...(options.apiServerFlags ?? []),
  ];

  const startApiServer = async (deadline: number): Promise<string> => {
    apiserver = new ServerProcess('kube-apiserver', binaries.kubeApiserver, apiServerArgs, join(logDir, 'kube-apiserver.log'));
    let caPem: string | undefined;
    await waitReady(apiserver, `kube-apiserver (${server})`, deadline, async () => {
      caPem ??= readSelfSignedCa(certDir);
      if (caPem === undefined) return { ready: false, detail: `no serving certificate in ${certDir} yet` };
      // Verified against the CA: what works here works for kubectl with the kubeconfig.
      const res = await get(`${server}/readyz`, { ca: caPem, token: credentials.token });
      const failing = res.body.split('\n').filter((line) => line.startsWith('[-]'));
      return { ready: res.status === 200, detail: `/readyz ${res.status}: ${failing.join(' ') || res.body.trim()}` };
    });
    if (caPem === undefined) throw new Error('unreachable: ready without a CA');
    return caPem;
  };

  const stopAll = (): Promise<void> => {
    stopped ??= (async () => {
      await apiserver?.stop();
      await etcd?.stop();
      live.delete(handle);
      if (!keepDataDir) rmSync(dataDir, { recursive: true, force: true });
    })();
    return stopped;
  };

  let caPem: string;
  try {
    const deadline = Date.now() + startTimeoutMs;
    etcd = new ServerProcess('etcd', binaries.etcd, etcdArgs, join(logDir, 'etcd.log'));
    await waitReady(etcd, `etcd (${etcdEndpoint})`, deadline, async () => {
      const res = await get(`${etcdEndpoint}/health`);
      return { ready: res.status === 200 && res.body.includes('"health":"true"'), detail: `/health ${res.status}: ${res.body}` };
    });
    caPem = await startApiServer(deadline);
  } catch (err) {
    await stopAll();
    throw err;
  }

  const caFile = join(dataDir, 'ca.crt');
  writeFileSync(caFile, caPem);
  const kubeconfigPath = join(dataDir, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, { server, caPem, token: credentials.token, user: ADMIN_USER });

  return {
    kubeconfigPath,
    server,
    token: credentials.token,
    caPem,
    caFile,
    dataDir,
    etcdEndpoint,
    k8sVersion: binaries.k8sVersion,
    etcdVersion: binaries.etcdVersion,
    auditLogPath,
    async restartApiServer(): Promise<void> {
      if (stopped !== undefined) throw new Error('envtest: restartApiServer() after stop()');
      await apiserver?.stop();
      // Same flags, port, etcd and --cert-dir (whose certificate it reuses), so the kubeconfig stays valid.
      await startApiServer(Date.now() + startTimeoutMs);
    },
    stop: stopAll,
  };
}
