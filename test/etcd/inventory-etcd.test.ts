// The inventory of an installation kept in etcd: `polyfleet inventory --list --store etcd://…` and
// the REST API on the etcd store answer what the same objects in a state file give.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Resource } from '../../api/index.js';
import { runCli } from '../../cli/run-cli.js';
import { startInventoryServer } from '../../cli/shared/inventory-server.js';
import { conflictTable, hostGroup, TENANT } from '../../inventory/fixture.js';
import { loopbackAccess } from '../../runtime/auth/index.js';
import type { HttpServer } from '../../runtime/http/index.js';
import { openEtcdStore, type EtcdStore } from '../../runtime/store/etcd/index.js';
import { openFileStore } from '../../runtime/store/file/index.js';
import type { Store } from '../../runtime/store/index.js';
import { startEtcdCluster, type EtcdCluster } from './etcd-cluster.js';

const silent = pino({ level: 'silent' });

async function seed(store: Store): Promise<void> {
  const table = conflictTable();
  for (const object of [...table.machines, ...table.hostGroups] as Resource[]) {
    const { status, ...rest } = object;
    const created = await store.create(rest);
    if (status !== undefined) await store.updateStatus({ ...created, status } as Resource);
  }
}

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('the inventory on an etcd store', () => {
  let etcd: EtcdCluster;
  let store: EtcdStore;
  let server: HttpServer;
  let dir: string;
  let fromStateFile: unknown;

  beforeAll(async () => {
    etcd = await startEtcdCluster();
    store = await openEtcdStore({ endpoints: etcd.hosts.split(','), logger: silent });
    await seed(store);
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-inventory-etcd-'));
    const file = await openFileStore({ path: join(dir, 'state.jsonl'), logger: silent });
    await seed(file);
    await file.close();
    const listed = await cli('inventory', '--list', '--state', join(dir, 'state.jsonl'), '-n', TENANT);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    fromStateFile = JSON.parse(listed.stdout);
    server = await startInventoryServer(store, { host: '127.0.0.1', port: 0, access: loopbackAccess() }, silent);
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await store.close();
    await etcd.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('inventory --list --store etcd://… lists what the same objects in a state file give', async () => {
    const r = await cli('inventory', '--list', '--store', `etcd://${etcd.hosts}`, '-n', TENANT);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const list = JSON.parse(r.stdout) as { _meta: { hostvars: Record<string, unknown> } };
    expect(Object.keys(list._meta.hostvars)).toHaveLength(conflictTable().machines.length);
    expect(list).toEqual(fromStateFile);
  });

  it('vars --blame on etcd resolves as on a state file', async () => {
    const onEtcd = await cli('inventory', 'vars', 'h1', '--blame', '-o', 'json', '--store', `etcd://${etcd.hosts}`, '-n', TENANT);
    const onFile = await cli('inventory', 'vars', 'h1', '--blame', '-o', 'json', '--state', join(dir, 'state.jsonl'), '-n', TENANT);
    expect(onEtcd.code).toBe(0);
    expect(JSON.parse(onEtcd.stdout)).toEqual(JSON.parse(onFile.stdout));
  });

  it('the REST API on the etcd store answers /v1/ansible/{tenant} with the same list', async () => {
    const res = await fetch(`${server.url}/v1/ansible/${TENANT}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(fromStateFile);
  });

  it('reads varsFrom and secrets from --sources-dir on etcd (which keeps no ConfigMaps or Secrets), and says what is missing without it', async () => {
    const sources = join(dir, 'sources');
    for (const [kind, name, key, value] of [['configmaps', 'web-vars', 'vars.yaml', 'from_config_map: yes-it-is\n'], ['secrets', 'keys', 'id_ed25519', 'canary-key-never-printed']] as const) {
      mkdirSync(join(sources, kind, TENANT, name), { recursive: true });
      writeFileSync(join(sources, kind, TENANT, name, key), value);
    }
    await store.create(hostGroup('with-sources', { hosts: ['h1'], varsFrom: [{ configMapKeyRef: { name: 'web-vars', key: 'vars.yaml' } }], secrets: [{ name: 'keys', key: 'id_ed25519' }] }));
    const etcdFlags = ['--store', `etcd://${etcd.hosts}`, '-n', TENANT];

    const without = await cli('inventory', 'vars', 'h1', '-o', 'json', ...etcdFlags);
    expect(without.code).toBe(0);
    expect(without.stderr).toContain('HostGroup "with-sources": the variables of its varsFrom were not read');
    expect(JSON.parse(without.stdout)).not.toHaveProperty('from_config_map');
    const refused = await cli('inventory', 'export', '-o', join(dir, 'refused.tgz'), '--secrets', ...etcdFlags);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('give polyfleet --sources-dir DIR');

    const withDir = await cli('inventory', 'vars', 'h1', '-o', 'json', ...etcdFlags, '--sources-dir', sources);
    expect(withDir).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(withDir.stdout)).toMatchObject({ from_config_map: 'yes-it-is' });
    const bundle = join(dir, 'bundle');
    const exported = await cli('inventory', 'export', '-o', bundle, '--secrets', ...etcdFlags, '--sources-dir', sources);
    expect(exported.code).toBe(0);
    expect(readFileSync(join(bundle, 'secrets', 'id_ed25519'), 'utf8')).toBe('canary-key-never-printed');
    expect(exported.stdout + exported.stderr).not.toContain('canary-key-never-printed');
  });
});
