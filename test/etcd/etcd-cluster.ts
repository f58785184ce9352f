import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinaries } from '../envtest/binaries.js';
import { freeLoopbackPorts } from '../envtest/ports.js';
import { ServerProcess } from '../envtest/process.js';

export interface EtcdMember {
  readonly name: string;
  /** http://127.0.0.1:<port> */
  readonly clientUrl: string;
  readonly process: ServerProcess;
}

/** A throwaway etcd on loopback ports with a temporary data dir, for one test suite. */
export interface EtcdCluster {
  readonly members: readonly EtcdMember[];
  /** "127.0.0.1:P,127.0.0.1:Q", the form `--store etcd://…` takes. */
  readonly hosts: string;
  readonly etcdVersion: string;
  readonly dataDir: string;
  /** Stops every member and removes the data dir. Safe to call twice. */
  stop(): Promise<void>;
}

export interface EtcdClusterOptions {
  /** 1 (default) or 3. */
  readonly members?: number;
  /** Extra etcd flags for every member (`--name=value`). */
  readonly flags?: readonly string[];
}

const START_TIMEOUT_MS = 30_000;

/**
 * Starts etcd — the binary test/envtest/build.sh builds and caches (or KUBEBUILDER_ASSETS'), which
 * fails with instructions if it cannot be had — as one member or a cluster of several, each on
 * free loopback ports, and waits until every member answers /health.
 */
export async function startEtcdCluster(options: EtcdClusterOptions = {}): Promise<EtcdCluster> {
  const count = options.members ?? 1;
  const binaries = await ensureBinaries();
  const dataDir = mkdtempSync(join(tmpdir(), 'polyfleet-etcd-'));
  const ports = await freeLoopbackPorts(count * 2);
  const names = Array.from({ length: count }, (_, i) => `m${String(i)}`);
  const peerUrl = (i: number): string => `http://127.0.0.1:${String(ports[count + i])}`;
  const initialCluster = names.map((name, i) => `${name}=${peerUrl(i)}`).join(',');
  const members = names.map((name, i): EtcdMember => {
    const clientUrl = `http://127.0.0.1:${String(ports[i])}`;
    const args = [
      `--name=${name}`,
      `--data-dir=${join(dataDir, name)}`,
      `--listen-client-urls=${clientUrl}`,
      `--advertise-client-urls=${clientUrl}`,
      `--listen-peer-urls=${peerUrl(i)}`,
      `--initial-advertise-peer-urls=${peerUrl(i)}`,
      `--initial-cluster=${initialCluster}`,
      '--initial-cluster-state=new',
      // Throwaway members on one machine: elect at once, never wait for the disk.
      '--heartbeat-interval=10',
      '--election-timeout=100',
      '--unsafe-no-fsync=true',
      '--log-level=warn',
      ...(options.flags ?? []),
    ];
    return { name, clientUrl, process: new ServerProcess(`etcd ${name}`, binaries.etcd, args, join(dataDir, `${name}.log`)) };
  });
  let stopped = false;
  const cluster: EtcdCluster = {
    members,
    hosts: members.map((m) => m.clientUrl.replace('http://', '')).join(','),
    etcdVersion: binaries.etcdVersion,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all(members.map((m) => m.process.stop(2_000)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(members.map((m) => waitHealthy(m, Date.now() + START_TIMEOUT_MS)));
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return cluster;
}

async function waitHealthy(member: EtcdMember, deadline: number): Promise<void> {
  let last = 'not probed yet';
  for (;;) {
    if (member.process.exitStatus !== undefined) {
      throw new Error(`${member.process.describeExit()} before it was healthy.\n--- ${member.process.logPath} ---\n${member.process.tail()}`);
    }
    try {
      const { status, body } = await getHealth(`${member.clientUrl}/health`);
      if (status === 200 && body.includes('"health":"true"')) return;
      last = `${String(status)} ${body}`;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`${member.name} (${member.clientUrl}) not healthy in time (last probe: ${last})\n${member.process.tail()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function getHealth(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: 2_000, agent: false });
    req.once('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.once('error', reject);
    req.once('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.once('end', () => { resolve({ status: res.statusCode ?? 0, body }); });
    });
    req.end();
  });
}
