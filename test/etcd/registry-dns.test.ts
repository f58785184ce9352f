import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Machine } from '../../api/index.js';
import { runPolyfleet } from '../../cli/testing/cli-process.js';
import { eventually } from '../../runtime/testing/async.js';
import { startCoreDns, type CoreDns } from '../tools/coredns.js';
import { queryA, type DnsAnswer } from '../tools/dns-query.js';
import { DNS_DOMAIN, liveHosts, QUICKSTART, startRegistryWorld, type RegistryWorld } from './registry-world.js';

const DEADLINE_MS = 180_000;
const TTL_MS = 30_000;

/** The address a host's name resolves to: its public one, else its private one. */
function addressOf(machine: Machine): string {
  const addresses = machine.status?.addresses ?? [];
  return addresses.find((a) => a.type === 'ExternalIP')?.address ?? addresses.find((a) => a.type === 'InternalIP')?.address ?? '';
}

/**
 * The DNS records of `polyfleet run --registry-etcd … --dns-domain fleet.local` as a user's resolver
 * sees them: a real CoreDNS (built from its Go module) whose etcd plugin reads the test etcd,
 * queried over UDP.
 */
describe('DNS names of the hosts, served by CoreDNS from the registry', () => {
  let world: RegistryWorld;
  let dns: CoreDns;
  const answers = new Map<string, DnsAnswer>();
  let asking: ReturnType<typeof setInterval> | undefined;

  beforeAll(async () => {
    world = await startRegistryWorld();
    dns = await startCoreDns(world.dir, DNS_DOMAIN, world.etcd.hosts.split(','));
  }, DEADLINE_MS);

  afterAll(async () => {
    if (asking !== undefined) clearInterval(asking);
    await dns.stop();
    await world.close();
  });

  /** Keeps asking CoreDNS for `names` in the background; `answers` holds the latest answer of each. */
  function keepAsking(names: readonly string[]): void {
    if (asking !== undefined) clearInterval(asking);
    let inFlight = false;
    asking = setInterval(() => {
      if (inFlight) return;
      inFlight = true;
      Promise.all(names.map(async (name) => { answers.set(name, await queryA(dns.port, name)); })).then(
        () => { inFlight = false; },
        () => { inFlight = false; },
      );
    }, 100);
  }

  const running = (): Machine[] => liveHosts(world.machines()).filter((m) => m.status?.phase === 'Running');
  const sameAddresses = (answer: DnsAnswer | undefined, expected: readonly string[]): boolean =>
    answer?.rcode === 'NOERROR' && JSON.stringify(answer.addresses) === JSON.stringify([...expected].sort());

  it("resolves every host's name to its address, and the pool's name to all of them", async () => {
    await world.startRun(['-f', QUICKSTART]);
    await eventually(() => running().length === 7, '7 Running hosts', DEADLINE_MS);
    const hosts = running();
    const pool = `workers.default.${DNS_DOMAIN}`;
    keepAsking([pool, ...hosts.map((m) => `${m.metadata.name}.${pool}`)]);
    const resolved = (): boolean => hosts.every((m) => sameAddresses(answers.get(`${m.metadata.name}.${pool}`), [addressOf(m)]));
    await eventually(resolved, `every host name to resolve (answers: ${JSON.stringify([...answers])})`, DEADLINE_MS);
    await eventually(() => sameAddresses(answers.get(pool), hosts.map(addressOf)), `${pool} to resolve to all 7 addresses`, DEADLINE_MS);
    expect(answers.get(`${hosts[0]?.metadata.name ?? ''}.${pool}`)).toEqual({ rcode: 'NOERROR', addresses: [addressOf(hosts[0] as Machine)] });
  }, DEADLINE_MS);

  it("answers NXDOMAIN for a deleted Machine's name within one TTL (30 s)", async () => {
    const [victim] = running();
    if (victim === undefined) throw new Error('no Running host');
    const name = `${victim.metadata.name}.workers.default.${DNS_DOMAIN}`;
    keepAsking([name]);
    await eventually(() => answers.get(name)?.rcode === 'NOERROR', `${name} to resolve first`, DEADLINE_MS);
    const deleted = runPolyfleet(world.dir, ['delete', 'machine', victim.metadata.name, '--state', world.statePath, '--wait', '--timeout', '2m']);
    expect(deleted).toMatchObject({ status: 0 });
    await eventually(() => answers.get(name)?.rcode === 'NXDOMAIN', `${name} to be NXDOMAIN (last answer ${JSON.stringify(answers.get(name))})`, TTL_MS);
  }, DEADLINE_MS);

  it('answers for exactly the live hosts after the run is SIGKILLed while Machines are deleted', async () => {
    const deleted: string[] = [];
    for (let i = 0; i < 2; i++) {
      const victim = running().find((m) => !deleted.includes(m.metadata.name));
      if (victim === undefined) throw new Error('no Running host');
      expect(runPolyfleet(world.dir, ['delete', 'machine', victim.metadata.name, '--state', world.statePath])).toMatchObject({ status: 0 });
      deleted.push(victim.metadata.name);
      // A random instant while the instance terminates and the replacement launches.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2_000));
      await world.killRun();
      await world.startRun();
    }
    await eventually(() => running().length === 7 && world.machines().length === 7, '7 Running hosts again', DEADLINE_MS);
    const hosts = running();
    const name = (machine: string): string => `${machine}.workers.default.${DNS_DOMAIN}`;
    keepAsking([...hosts.map((m) => name(m.metadata.name)), ...deleted.map(name)]);
    const exact = (): boolean =>
      hosts.every((m) => sameAddresses(answers.get(name(m.metadata.name)), [addressOf(m)])) && deleted.every((d) => answers.get(name(d))?.rcode === 'NXDOMAIN');
    await eventually(exact, `every live host to resolve and every deleted one to be NXDOMAIN (answers: ${JSON.stringify([...answers])})`, DEADLINE_MS);
  }, DEADLINE_MS * 2);
});
