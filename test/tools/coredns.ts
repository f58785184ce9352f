// A real CoreDNS for the DNS tests: test/tools/coredns.sh builds it once from its Go module (cached
// under ~/.cache/polyfleet/coredns; .ci/run does it before the tests) and says how to get it if it cannot.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServerProcess } from '../envtest/process.js';
import { freeLoopbackPorts } from '../envtest/ports.js';
import { queryA } from './dns-query.js';

const COREDNS_SH = fileURLToPath(new URL('./coredns.sh', import.meta.url));

/** The CoreDNS binary, built if need be; an error saying how to get one if it cannot be had. */
export function corednsBinary(): string {
  const r = spawnSync('bash', [COREDNS_SH, '--print-path'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`CoreDNS is needed for the DNS tests and could not be had:\n${r.stderr}\n(run \`bash test/tools/coredns.sh -plugins\` once, or set POLYFLEET_COREDNS to a CoreDNS binary with the etcd plugin)`);
  return r.stdout.trim();
}

export interface CoreDns {
  readonly port: number;
  readonly corefile: string;
  stop(): Promise<void>;
}

/** The Corefile of a CoreDNS that answers `domain` from the SkyDNS records in etcd (README "Node registry and DNS"). */
export function corefile(domain: string, port: number, etcdEndpoints: readonly string[]): string {
  return `${domain}:${String(port)} {
    bind 127.0.0.1
    etcd ${domain} {
        path /skydns
        endpoint ${etcdEndpoints.map((e) => `http://${e}`).join(' ')}
    }
    errors
}
`;
}

/** Starts CoreDNS on a free loopback UDP port, serving `domain` from etcd; resolves once it answers. */
export async function startCoreDns(dir: string, domain: string, etcdEndpoints: readonly string[]): Promise<CoreDns> {
  const binary = corednsBinary();
  const [port] = await freeLoopbackPorts(1);
  if (port === undefined) throw new Error('no free port');
  const text = corefile(domain, port, etcdEndpoints);
  const path = join(dir, 'Corefile');
  writeFileSync(path, text);
  const server = new ServerProcess('coredns', binary, ['-conf', path], join(dir, 'coredns.log'));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitStatus !== undefined) throw new Error(`${server.describeExit()} before it answered:\n${server.tail()}`);
    try {
      await queryA(port, `ready.${domain}`, 500);
      break;
    } catch (e) {
      if (Date.now() > deadline) {
        await server.stop(2_000);
        throw new Error(`CoreDNS did not answer on 127.0.0.1:${String(port)} in 30 s (${(e as Error).message}):\n${server.tail()}`);
      }
    }
  }
  return { port, corefile: text, stop: () => server.stop(2_000) };
}
