import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Machine } from '../../api/index.js';
import { runPolyfleet } from '../../cli/testing/cli-process.js';
import { eventually } from '../../runtime/testing/async.js';
import { freeLoopbackPorts } from '../envtest/ports.js';
import { liveHosts, namesUnder, QUICKSTART, startRegistryWorld, type RegistryWorld } from './registry-world.js';

const DEADLINE_MS = 180_000;
const KILLS = 5;

/**
 * The node registry as another project sees it: `polyfleet run --registry-etcd … --dns-domain …`
 * keeps `/polyfleet/hosts/`, `/polyfleet/unclustered/` and the SkyDNS records equal to the live
 * hosts, a consumer's claim (deleting an `unclustered/` key) stands, and both hold after the run
 * is SIGKILLed at random instants while Machines are deleted and replaced.
 */
describe('the node registry of polyfleet run', () => {
  let world: RegistryWorld;
  let claimed: string;

  beforeAll(async () => {
    world = await startRegistryWorld();
  }, DEADLINE_MS);

  afterAll(async () => {
    await world.close();
  });

  const names = (machines: readonly Machine[]): string[] => machines.map((m) => m.metadata.name).sort();
  const live = (): Machine[] => world.machines().filter((m) => m.metadata.deletionTimestamp === undefined);
  const settled = (): boolean => live().length === 7 && live().every((m) => m.status?.phase === 'Running');

  /** What must hold once the run has caught up: every key set equals the live hosts (or Machines), the claimed key stays gone. */
  function registryMatches(): boolean {
    const keys = world.keys();
    const hosts = names(liveHosts(world.machines()));
    const offered = hosts.filter((n) => n !== claimed);
    return (
      JSON.stringify(namesUnder(keys, '/polyfleet/hosts/default/')) === JSON.stringify(hosts) &&
      JSON.stringify(namesUnder(keys, '/polyfleet/unclustered/')) === JSON.stringify(offered) &&
      JSON.stringify(namesUnder(keys, '/skydns/local/fleet/default/workers/')) === JSON.stringify(hosts) &&
      JSON.stringify(namesUnder(keys, '/polyfleet/registered/default/')) === JSON.stringify(names(live()))
    );
  }

  function describeMismatch(): string {
    const keys = [...world.keys().keys()].filter((k) => !k.includes('/objects/') && !k.includes('/events/')).sort();
    const machines = world.machines().map((m) => `${m.metadata.name} ${m.status?.phase ?? '-'}${m.metadata.deletionTimestamp === undefined ? '' : ' deleting'}`);
    return `keys:\n${keys.join('\n')}\nmachines: ${machines.join(', ')}\nclaimed: ${claimed}\nrun stderr:\n${world.run()?.stderr().slice(-2000) ?? ''}`;
  }

  it('publishes every host under hosts/ and unclustered/ as JSON, with a DNS record each', async () => {
    await world.startRun(['-f', QUICKSTART]);
    await eventually(() => settled() && registryMatches(), 'the registry to show 7 Running hosts', DEADLINE_MS);
    const [machine] = liveHosts(world.machines());
    if (machine === undefined) throw new Error('no host');
    const published = JSON.parse(world.keys().get(`/polyfleet/hosts/default/${machine.metadata.name}`) ?? '{}') as Record<string, unknown>;
    expect(published).toEqual({
      name: machine.metadata.name,
      namespace: 'default',
      uid: machine.metadata.uid,
      addresses: machine.status?.addresses,
      provider: 'sim',
      account: machine.spec.provider,
      region: machine.spec.region,
      zone: machine.spec.zone,
      instanceType: machine.spec.instanceType,
      instanceId: machine.status?.instanceId,
      pool: 'workers',
      labels: machine.metadata.labels,
      phase: 'Running',
    });
    expect(world.keys().get(`/polyfleet/unclustered/${machine.metadata.name}`)).toBe(JSON.stringify(published));
    const address = machine.status?.addresses?.find((a) => a.type === 'ExternalIP')?.address ?? machine.status?.addresses?.[0]?.address;
    expect(JSON.parse(world.keys().get(`/skydns/local/fleet/default/workers/${machine.metadata.name}`) ?? '{}')).toEqual({ host: address, ttl: 30 });
  }, DEADLINE_MS);

  it('never puts back an unclustered/ key a consumer deleted (claimed), even after a crash', async () => {
    claimed = liveHosts(world.machines())[0]?.metadata.name ?? '';
    await world.client.delete().key(`/polyfleet/unclustered/${claimed}`);
    await world.killRun();
    await world.startRun();
    // Every Machine reconciled by the new process, and the registry as it must be.
    await eventually(() => world.counter('controller_runtime_reconcile_total', 'controller="registry"') >= 7 && registryMatches(), `the restarted run to reconcile every Machine\n${describeMismatch()}`, DEADLINE_MS);
    expect(world.keys().has(`/polyfleet/unclustered/${claimed}`)).toBe(false);
    expect(world.keys().has(`/polyfleet/hosts/default/${claimed}`)).toBe(true);
  }, DEADLINE_MS);

  it(`converges to exactly the live hosts after ${String(KILLS)} SIGKILLs at random instants while Machines are deleted and replaced`, async () => {
    const replaced = new Set<string>();
    for (let i = 0; i < KILLS; i++) {
      // The run may have been killed before it saw the last delete: that Machine may still be there, deleting.
      const victim = liveHosts(world.machines()).find((m) => m.metadata.name !== claimed && !replaced.has(m.metadata.name));
      if (victim !== undefined) {
        expect(runPolyfleet(world.dir, ['delete', 'machine', victim.metadata.name, '--state', world.statePath])).toMatchObject({ status: 0 });
        replaced.add(victim.metadata.name);
      }
      // A random instant in the replacement: while the instance terminates, the Machine goes, its successor launches.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 3_000));
      await world.killRun();
      await world.startRun();
    }
    await eventually(() => settled() && registryMatches(), `the registry to equal the live hosts\n${describeMismatch()}`, DEADLINE_MS);
    const gone = [...replaced].filter((name) => world.keys().has(`/polyfleet/hosts/default/${name}`));
    expect({ replaced: replaced.size, stillPublished: gone }).toEqual({ replaced: KILLS, stillPublished: [] });
    expect(world.keys().has(`/polyfleet/unclustered/${claimed}`)).toBe(false);
  }, DEADLINE_MS * 2);

  it('fails at start, naming the endpoint, when the registry etcd cannot be reached', async () => {
    const [port] = await freeLoopbackPorts(1);
    const result = runPolyfleet(world.dir, ['run', '--state', `${world.dir}/other.jsonl`, '--port', '0', '--registry-etcd', `etcd://127.0.0.1:${String(port)}`]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`etcd at 127\\.0\\.0\\.1:${String(port)}: node registry: .*cannot be reached`));
  });
});
