// The inventory judged by the real Ansible (ansible-core, pinned; test/tools/ansible.ts), on the
// standalone state file: what ansible-inventory reports equals what we emitted — through
// bin/polyfleet-ansible-inventory, every export format and every bundle — and Ansible's own variable
// resolution equals our blame on a table of conflicts at every level. Then `polyfleet run` on the
// quickstart and examples/inventory: the HostGroup controller's status, and Ansible's view of it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Resource } from '../../api/index.js';
import { runPolyfleet, startPolyfleet, type BackgroundPolyfleet } from '../../cli/testing/cli-process.js';
import { conflictTable, TENANT, TRICKY_VALUES } from '../../inventory/fixture.js';
import { openFileStore } from '../../runtime/store/file/index.js';
import { ansibleBin, ansibleDebugVar, ansibleInventoryList, normalizedList } from '../tools/ansible.js';
import { runProcess } from '../tools/run-process.js';
import { eventually } from './cluster.js';
import { repoRoot } from './kubectl.js';

const SCRIPT = join(repoRoot, 'bin', 'polyfleet-ansible-inventory');
type Json = Record<string, unknown>;

describe('the inventory, judged by Ansible', () => {
  let dir: string;
  let state: string;
  const table = conflictTable();
  const hosts = table.machines.map((m) => m.metadata.name);
  const scriptEnv = (): NodeJS.ProcessEnv => ({ POLYFLEET_STATE: state, POLYFLEET_NAMESPACE: TENANT, PATH: process.env.PATH ?? '' });
  let ours: Json;
  /** Host → our resolved variables (`polyfleet inventory vars HOST -o json`). */
  const resolved = new Map<string, Json>();

  function polyfleet(args: readonly string[]): string {
    const r = runPolyfleet(dir, [...args, '--state', state, '-n', TENANT]);
    if (r.status !== 0) throw new Error(`polyfleet ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
    return r.stdout;
  }

  /** What Ansible must report for `source`: our structure (--export), and our resolution for every host (without). */
  async function expectAnsibleAgrees(source: string): Promise<void> {
    expect(normalizedList(await ansibleInventoryList(source, dir, { export: true, env: scriptEnv() }))).toEqual(normalizedList(ours));
    const hostvars = ((await ansibleInventoryList(source, dir, { export: false, env: scriptEnv() }))._meta as { hostvars: Record<string, Json> }).hostvars;
    for (const h of hosts) expect({ host: h, vars: hostvars[h] }).toEqual({ host: h, vars: resolved.get(h) });
  }

  beforeAll(async () => {
    ansibleBin();
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-inventory-ansible-'));
    state = join(dir, 'state.jsonl');
    const store = await openFileStore({ path: state, logger: pino({ level: 'silent' }) });
    try {
      for (const object of [...table.machines, ...table.hostGroups] as Resource[]) {
        const { status, ...withoutStatus } = object;
        const created = await store.create(withoutStatus);
        if (status !== undefined) await store.updateStatus({ ...created, status } as Resource);
      }
    } finally {
      await store.close();
    }
    ours = JSON.parse(polyfleet(['inventory', '--list'])) as Json;
    for (const h of hosts) resolved.set(h, JSON.parse(polyfleet(['inventory', 'vars', h, '-o', 'json'])) as Json);
  }, 60_000);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the conflict table in it: three hosts, the HostGroups as groups, the tricky values typed', () => {
    expect(Object.keys((ours._meta as { hostvars: Json }).hostvars).sort()).toEqual(hosts.sort());
    expect(ours).toMatchObject({ web: { children: ['edge'] }, edge: { hosts: ['h1'], vars: { ansible_group_priority: -5 } }, aaa_high: { vars: { ansible_group_priority: 10 } } });
    for (const [k, v] of Object.entries(TRICKY_VALUES)) expect(resolved.get('h3')?.[k]).toEqual(v);
  });

  it('ansible-inventory -i bin/polyfleet-ansible-inventory reports what `polyfleet inventory --list` emitted, and resolves as we do', async () => {
    await expectAnsibleAgrees(SCRIPT);
    const host = JSON.parse((await runProcess(SCRIPT, ['--host', 'h1'], { cwd: dir, env: { ...process.env, ...scriptEnv() } })).stdout) as Json;
    expect(host).toEqual((ours._meta as { hostvars: Json }).hostvars.h1);
  }, 60_000);

  it.each(['yaml', 'ini', 'json'])('the %s export reads back in Ansible as what we emitted', async (format) => {
    const file = join(dir, `inventory-${format}.${format === 'yaml' ? 'yml' : format}`);
    polyfleet(['inventory', 'export', '--format', format, '-o', file]);
    await expectAnsibleAgrees(file);
  }, 60_000);

  it.each(['dir', 'tgz', 'zip'])('the %s bundle, unpacked, reads back in Ansible as what we emitted', async (kind) => {
    const unpacked = join(dir, `bundle-${kind}`);
    if (kind === 'dir') polyfleet(['inventory', 'export', '-o', unpacked]);
    else {
      const archive = join(dir, `bundle.${kind}`);
      polyfleet(['inventory', 'export', '-o', archive]);
      mkdirSync(unpacked);
      // The system's tar and Python's zipfile (which checks every CRC) as a user's tools unpack them.
      const r = kind === 'tgz' ? await runProcess('tar', ['-xzf', archive, '-C', unpacked], { cwd: dir }) : await runProcess(join(ansibleBin(), 'python'), ['-m', 'zipfile', '-e', archive, unpacked], { cwd: dir });
      expect(r).toMatchObject({ code: 0, stderr: '' });
    }
    await expectAnsibleAgrees(join(unpacked, 'inventory.yml'));
  }, 60_000);

  it('a filtered bundle reads back in Ansible as `--list` with the same filter', async () => {
    const filter = ['--region', 'us-east-1', '--label', 'role=web', '--var', 'v_child=edge'];
    const filtered = JSON.parse(polyfleet(['inventory', '--list', ...filter])) as Json;
    expect(Object.keys((filtered._meta as { hostvars: Json }).hostvars)).toEqual(['h1']);
    const unpacked = join(dir, 'bundle-filtered');
    polyfleet(['inventory', 'export', '-o', join(dir, 'filtered.tgz'), ...filter]);
    mkdirSync(unpacked);
    expect(await runProcess('tar', ['-xzf', join(dir, 'filtered.tgz'), '-C', unpacked], { cwd: dir })).toMatchObject({ code: 0 });
    expect(normalizedList(await ansibleInventoryList(join(unpacked, 'inventory.yml'), dir, { export: true }))).toEqual(normalizedList(filtered));
  }, 60_000);

  it('Ansible\'s own resolution (ansible -m debug) equals our blame for every variable of the conflict table', async () => {
    const bundle = join(dir, 'judge');
    polyfleet(['inventory', 'export', '-o', bundle]);
    const conflicts = ['v_all', 'v_parent', 'v_child', 'v_prio', 'v_name', 'v_deep', 'v_map', 'polyfleet_zone', 'ansible_host'];
    for (const variable of conflicts) {
      const theirs = await ansibleDebugVar(join(bundle, 'inventory.yml'), variable, dir);
      const expected = Object.fromEntries(hosts.map((h) => [h, resolved.get(h)?.[variable]]));
      expect({ variable, values: theirs }).toEqual({ variable, values: expected });
    }
    // The blame says the same winner, and names what it overrode.
    const blame = JSON.parse(polyfleet(['inventory', 'vars', 'h1', '--blame', '-o', 'json'])) as { name: string; source: Json; overridden: { source: Json }[] }[];
    expect(blame.find((b) => b.name === 'v_prio')).toMatchObject({ source: { group: 'aaa_high' }, overridden: [{ source: { group: 'all' } }, { source: { group: 'zzz_low' } }, { source: { group: 'web' } }] });
  }, 120_000);
});

describe('polyfleet run with HostGroups on the state file', () => {
  let dir: string;
  let run: BackgroundPolyfleet | undefined;

  beforeAll(() => {
    ansibleBin();
    dir = mkdtempSync(join(tmpdir(), 'polyfleet-inventory-run-'));
  });

  afterAll(async () => {
    run?.child.kill('SIGTERM');
    await run?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports each HostGroup\'s hosts in its status, and Ansible sees the groups, subgroups and variables', async () => {
    run = startPolyfleet(dir, ['run', '-f', join(repoRoot, 'examples/quickstart'), '-f', join(repoRoot, 'examples/inventory'), '--port', '0', '--sim-dir', join(dir, 'sim')]);
    const live = run;
    const groups = await eventually(
      () => {
        if (live.child.exitCode !== null) throw new Error(`polyfleet run exited ${live.child.exitCode}\n${live.stderr()}`);
        const r = runPolyfleet(dir, ['get', 'hostgroups', '-o', 'json']);
        return r.status === 0 ? (JSON.parse(r.stdout) as { items: { metadata: { name: string }; status?: { hostCount?: number; conditions?: { type: string; status: string }[] } }[] }).items : [];
      },
      (items) => items.find((g) => g.metadata.name === 'workers')?.status?.hostCount === 7,
      'HostGroup workers to report the quickstart\'s 7 Machines',
      120_000,
    );
    expect(groups.find((g) => g.metadata.name === 'workers')?.status?.conditions).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'True' }), expect.objectContaining({ type: 'InvalidSpec', status: 'False' })]),
    );
    const env = { POLYFLEET_STATE: join(dir, '.polyfleet/state.jsonl'), PATH: process.env.PATH ?? '' };
    const list = await eventually(
      async () => normalizedList(await ansibleInventoryList(SCRIPT, dir, { export: false, env })),
      (l) => ((l.workers as { hosts?: string[] } | undefined)?.hosts ?? []).length === 7,
      'Ansible to see the 7 workers (each has an address once Running)',
      60_000,
    );
    expect(list.workers).toMatchObject({ children: ['edge'] });
    const hostvars = (list._meta as { hostvars: Record<string, Json> }).hostvars;
    for (const [name, vars] of Object.entries(hostvars)) {
      // monitoring (priority 10) beats workers at the same depth; edge, a child of workers, beats workers.
      expect({ name, port: vars.node_exporter_port }).toEqual({ name, port: 9200 });
      expect({ name, ntp: vars.ntp_server }).toEqual({ name, ntp: vars.polyfleet_account === 'sim-b' ? 'edge-time.example.org' : 'time.example.org' });
    }
  }, 240_000);
});
