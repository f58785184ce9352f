import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Etcd3 } from 'etcd3';
import type { Machine } from '../../api/index.js';
import { openRegistryWriter, type RegistryWriter } from '../../inventory/registry/index.js';
import { runningMachine } from '../../inventory/fixture.js';
import { startEtcdCluster, type EtcdCluster } from './etcd-cluster.js';

let etcd: EtcdCluster;
let client: Etcd3;
let writer: RegistryWriter;
let prefixes = 0;
let prefix = '';

beforeAll(async () => {
  etcd = await startEtcdCluster();
  client = new Etcd3({ hosts: etcd.members.map((m) => m.clientUrl) });
});
afterEach(() => {
  writer.close();
});
afterAll(async () => {
  client.close();
  await etcd.stop();
});

function open(dnsDomain?: string, samePrefix = false): void {
  if (!samePrefix) prefix = `/registry-writer-${String(++prefixes)}/`;
  writer = openRegistryWriter({ endpoints: etcd.hosts.split(','), prefix, ...(dnsDomain === undefined ? {} : { dnsDomain }) });
}

function host(name: string, namespace: string, uid: string): Machine {
  const m = runningMachine(name);
  return { ...m, metadata: { ...m.metadata, namespace, uid } };
}

const key = (m: Machine): { namespace: string; name: string } => ({ namespace: m.metadata.namespace ?? '', name: m.metadata.name });
async function uidAt(relative: string): Promise<string | undefined> {
  const value = await client.get(prefix + relative).string();
  return value === null ? undefined : (JSON.parse(value) as { uid: string }).uid;
}
async function unclustered(): Promise<string[]> {
  return (await client.getAll().prefix(`${prefix}unclustered/`).keys()).map((k) => k.slice(prefix.length)).sort();
}

describe('unclustered/ offers of Machines that share a name across namespaces', () => {
  it('offers the first under unclustered/<name> and the namesake under unclustered/<namespace>/<name>, each withdrawn only with its own Machine', async () => {
    open();
    const a = host('web-1', 'default', 'uid-a');
    const b = host('web-1', 'team-b', 'uid-b');
    await writer.sync(key(a), a, false);
    await writer.sync(key(b), b, true);
    expect(await unclustered()).toEqual(['unclustered/team-b/web-1', 'unclustered/web-1']);
    expect(await uidAt('unclustered/web-1')).toBe('uid-a');
    expect(await uidAt('unclustered/team-b/web-1')).toBe('uid-b');
    // Converging again (a restart, a resync) moves nothing, even now that the first sees the name shared.
    await writer.sync(key(a), a, true);
    await writer.sync(key(b), b, true);
    expect(await unclustered()).toEqual(['unclustered/team-b/web-1', 'unclustered/web-1']);
    // A consumer claims the first; it stays claimed; then the first Machine goes: the namesake's offer stays.
    await client.delete().key(`${prefix}unclustered/web-1`);
    await writer.sync(key(a), a, true);
    expect(await unclustered()).toEqual(['unclustered/team-b/web-1']);
    await writer.sync(key(a), undefined);
    expect(await unclustered()).toEqual(['unclustered/team-b/web-1']);
    expect(await uidAt('hosts/team-b/web-1')).toBe('uid-b');
    expect(await uidAt('hosts/default/web-1')).toBeUndefined();
    // The namesake keeps its key while it lives, and its unclaimed offer goes with it.
    await writer.sync(key(b), b, false);
    expect(await unclustered()).toEqual(['unclustered/team-b/web-1']);
    await writer.sync(key(b), undefined);
    expect(await unclustered()).toEqual([]);
  });

  it('offers under the namespaced key when unclustered/<name> holds another Machine\'s offer the name index did not see', async () => {
    open();
    const a = host('db-1', 'default', 'uid-a');
    const b = host('db-1', 'unwatched', 'uid-b');
    await writer.sync(key(a), a, false);
    await writer.sync(key(b), b, false);
    expect(await uidAt('unclustered/db-1')).toBe('uid-a');
    expect(await uidAt('unclustered/unwatched/db-1')).toBe('uid-b');
  });

  it('withdraws an offer recorded before offers could be namespaced (no unclustered field) at unclustered/<name>', async () => {
    open();
    const a = host('old-1', 'default', 'uid-old');
    await client.put(`${prefix}registered/default/old-1`).value(JSON.stringify({ uid: 'uid-old', offered: true }));
    await client.put(`${prefix}unclustered/old-1`).value(JSON.stringify({ name: 'old-1', namespace: 'default', uid: 'uid-old' }));
    await writer.sync(key(a), undefined);
    expect(await unclustered()).toEqual([]);
  });
});

describe('DNS records after --dns-domain changes', () => {
  it('moves each host\'s record to the new domain and removes the old one, which its registration proves it wrote; a record it never wrote stays', async () => {
    const a = host('web-1', 'default', 'uid-a');
    const b = host('web-2', 'default', 'uid-b');
    const skydns = async (): Promise<string[]> => (await client.getAll().prefix('/skydns/test/').keys()).sort();
    await client.delete().prefix('/skydns/test/');
    await client.put('/skydns/test/old/default/workers/someone-else').value('{"host":"192.0.2.1","ttl":30}');
    open('old.test');
    await writer.sync(key(a), a);
    await writer.sync(key(b), b);
    expect(await skydns()).toEqual(['/skydns/test/old/default/workers/someone-else', '/skydns/test/old/default/workers/web-1', '/skydns/test/old/default/workers/web-2']);
    writer.close();
    // A restart with another domain: a live host moves, a host deleted meanwhile loses its old record.
    open('new.test', true);
    await writer.sync(key(a), a);
    await writer.sync(key(b), undefined);
    expect(await skydns()).toEqual(['/skydns/test/new/default/workers/web-1', '/skydns/test/old/default/workers/someone-else']);
    writer.close();
    // And without --dns-domain: no records of its own left.
    open(undefined, true);
    await writer.sync(key(a), a);
    expect(await skydns()).toEqual(['/skydns/test/old/default/workers/someone-else']);
  });
});
