import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Resource } from '../../api/index.js';
import { conflictTable, hostGroup, TENANT } from '../../inventory/fixture.js';
import { openFileStore } from '../../runtime/store/file/index.js';
import { inventoryCommand } from './inventory-command.js';

let dir: string;
let state: string;

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await inventoryCommand.run(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}
const inTenant = (...argv: string[]) => run(...argv, '--state', state, '-n', TENANT);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polyfleet-inventory-cli-'));
  state = join(dir, 'state.jsonl');
  const store = await openFileStore({ path: state, logger: pino({ level: 'silent' }) });
  const table = conflictTable();
  for (const object of [...table.machines, ...table.hostGroups, hostGroup('uses-config-map', { varsFrom: [{ configMapKeyRef: { name: 'cm', key: 'vars.yaml' } }] })] as Resource[]) {
    const { status, ...rest } = object;
    const created = await store.create(rest);
    if (status !== undefined) await store.updateStatus({ ...created, status } as Resource);
  }
  await store.close();
});
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('polyfleet inventory', () => {
  it('--list follows the dynamic-inventory protocol, and warns on stderr about what it could not read', async () => {
    const r = await inTenant('--list');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(list).toMatchObject({ _meta: { hostvars: { h1: { ansible_host: '192.0.2.1' } } }, edge: { hosts: ['h1'] } });
    expect(r.stderr).toBe('polyfleet inventory: warning: HostGroup "uses-config-map" varsFrom[0]: ConfigMap "cm" key "vars.yaml" not found\n');
  });

  it('--host prints a host\'s facts, and fails naming a host that is not in the inventory', async () => {
    expect(JSON.parse((await inTenant('--host', 'h2')).stdout)).toMatchObject({ polyfleet_region: 'eu-west-1' });
    const missing = await inTenant('--host', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`host "nope" is not in the inventory of namespace "${TENANT}"`);
  });

  it('vars --blame prints each variable, its value, where it came from and what it overrode', async () => {
    const r = await inTenant('vars', 'h1', '--blame');
    const line = r.stdout.split('\n').find((l) => l.startsWith('v_prio '));
    expect(line?.replace(/\s{3,}/g, ' | ')).toBe('v_prio | "aaa-high" | group aaa_high (HostGroup aaa-high) | group web: "web"; group zzz_low (HostGroup zzz-low): "zzz-low"; group all: "all"');
    expect(r.stdout.split('\n')[0]).toMatch(/^VARIABLE\s+VALUE\s+FROM\s+OVERRODE$/);
  });

  it('export writes a bundle to a directory', async () => {
    const out = join(dir, 'bundle');
    expect((await inTenant('export', '-o', out)).code).toBe(0);
    expect(readFileSync(join(out, 'host_vars', 'h1.yml'), 'utf8')).toContain('ansible_host: "192.0.2.1"');
    expect(readFileSync(join(out, 'group_vars', 'edge.yml'), 'utf8')).toBe('v_child: "edge"\nv_deep: "edge"\n');
  });

  it.each([
    [['--list', '--host', 'h1'], 'give --list or --host NAME'],
    [['export', '--format', 'toml'], '--format must be one of yaml, ini, json, got "toml"'],
    [['export', '--format', 'ini', '-o', 'x.tgz'], 'a bundle\'s inventory is YAML'],
    [['frobnicate'], 'unknown subcommand "frobnicate"'],
    [['vars'], 'which host?'],
    [['--list', '--label', 'role'], '--label must be key=value, got "role"'],
    [['vars', 'h1', '--region', 'x'], '--region is not for this form of the command'],
    [['--list', '--sources-dir', ''], '--sources-dir needs a directory'],
  ])('refuses %j: %s', async (argv, message) => {
    const r = await inTenant(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('refuses --sources-dir with --kubeconfig: the API server holds the ConfigMaps and Secrets', async () => {
    const r = await run('--list', '--kubeconfig', join(dir, 'kubeconfig'), '--sources-dir', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^polyfleet inventory: --sources-dir is for a state file or etcd store: with --kubeconfig, ConfigMaps and Secrets come from the API server\n/);
  });

  it('--help names every form, the groups, the precedence and the Ansible script', async () => {
    const help = (await run('--help')).stdout;
    for (const text of ['--list', '--host NAME', 'vars HOST [--blame]', 'export [--format yaml|ini|json]', 'tenant_<namespace>', 'all < parent groups < child groups', 'bin/polyfleet-ansible-inventory']) {
      expect(help).toContain(text);
    }
  });
});
