// A standalone installation's ConfigMaps and Secrets are files beside its state file (there is no
// API server to keep them): HostGroup varsFrom reads them, and `inventory export --secrets` puts a
// HostGroup's secrets into the bundle — only with the flag, all or nothing, and never a value in
// what the command says.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Resource } from '../../api/index.js';
import { hostGroup, runningMachine, TENANT } from '../../inventory/fixture.js';
import { openFileStore } from '../../runtime/store/file/index.js';
import { inventoryCommand } from './inventory-command.js';

const CANARY_FILE = 'canary-ssh-key-5d0e9a71';
const CANARY_VAR = 'canary-secret-var-8c3f2b64';

let dir: string;
let state: string;

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await inventoryCommand.run([...argv, '--state', state, '-n', TENANT], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

function put(kind: 'configmaps' | 'secrets', name: string, key: string, value: string): void {
  mkdirSync(join(dir, kind, TENANT, name), { recursive: true });
  writeFileSync(join(dir, kind, TENANT, name, key), value);
}

/** Every file under `root`, by path relative to it. */
function files(root: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(join(root, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) for (const [p, c] of files(root, path)) out.set(p, c);
    else out.set(path, readFileSync(join(root, path), 'utf8'));
  }
  return out;
}

/** The bundle's files: a directory as it is, an archive unpacked with the tools a user has. */
function unpacked(out: string, target: string): Map<string, string> {
  if (target === 'dir') return files(out);
  const to = `${out}.unpacked`;
  mkdirSync(to);
  const tool = target.endsWith('.tgz') ? spawnSync('tar', ['-xzf', out, '-C', to]) : spawnSync('python3', ['-m', 'zipfile', '-e', out, to]);
  expect(tool.status).toBe(0);
  return files(to);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polyfleet-inventory-secrets-'));
  state = join(dir, 'state.jsonl');
  const store = await openFileStore({ path: state, logger: pino({ level: 'silent' }) });
  const objects = [
    runningMachine('h1', { labels: { role: 'web' } }),
    hostGroup('web', {
      selector: { matchLabels: { role: 'web' } },
      vars: { v_own: 'web' },
      varsFrom: [{ configMapKeyRef: { name: 'web-vars', key: 'vars.yaml' } }, { secretKeyRef: { name: 'web-secret-vars', key: 'vars.yaml' } }],
      secrets: [{ name: 'ssh', key: 'id_ed25519', path: 'web/id_ed25519' }],
    }),
  ] as Resource[];
  for (const object of objects) {
    const { status, ...rest } = object;
    const created = await store.create(rest);
    if (status !== undefined) await store.updateStatus({ ...created, status } as Resource);
  }
  await store.close();
  put('configmaps', 'web-vars', 'vars.yaml', 'v_config: from-config-map\nv_own: overridden-by-vars\n');
  put('secrets', 'web-secret-vars', 'vars.yaml', `v_secret: ${CANARY_VAR}\n`);
  put('secrets', 'ssh', 'id_ed25519', CANARY_FILE);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('ConfigMaps and Secrets beside the state file', () => {
  it('varsFrom reads them: ConfigMap, then Secret, then vars, as in a cluster', async () => {
    const r = await run('vars', 'h1', '-o', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ v_config: 'from-config-map', v_secret: CANARY_VAR, v_own: 'web' });
    expect(r.stderr).toBe('');
  });

  it('a missing one is a warning naming the HostGroup, the entry and the object', async () => {
    rmSync(join(dir, 'configmaps'), { recursive: true });
    try {
      const r = await run('--list');
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('polyfleet inventory: warning: HostGroup "web" varsFrom[0]: ConfigMap "web-vars" key "vars.yaml" not found\n');
    } finally {
      put('configmaps', 'web-vars', 'vars.yaml', 'v_config: from-config-map\nv_own: overridden-by-vars\n');
    }
  });

  it('a bundle has no secrets/ without --secrets, and the Secret file nowhere', async () => {
    const out = join(dir, 'plain');
    const r = await run('export', '-o', out);
    expect(r.code).toBe(0);
    const written = files(out);
    expect([...written.keys()].filter((p) => p.startsWith('secrets/'))).toEqual([]);
    for (const content of [...written.values(), r.stdout, r.stderr]) expect(content).not.toContain(CANARY_FILE);
  });

  it.each(['dir', 'bundle.tgz', 'bundle.zip'])('export --secrets -o %s puts each secret at its path, and says no value', async (target) => {
    const out = join(dir, `with-secrets-${target}`);
    const r = await run('export', '--secrets', '-o', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('and 1 secrets/ files');
    expect(`${r.stdout}${r.stderr}`).not.toContain(CANARY_FILE);
    expect(`${r.stdout}${r.stderr}`).not.toContain(CANARY_VAR);
    expect(unpacked(out, target).get('secrets/web/id_ed25519')).toBe(CANARY_FILE);
  });

  it('all or nothing: a Secret that is not there fails naming it, and no bundle is written', async () => {
    rmSync(join(dir, 'secrets', TENANT, 'ssh'), { recursive: true });
    try {
      const out = join(dir, 'missing.tgz');
      const r = await run('export', '--secrets', '-o', out);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Secret "ssh" key "id_ed25519" (HostGroup "web") is not there');
      expect(r.stderr).toContain('export without --secrets');
      expect(existsSync(out)).toBe(false);
    } finally {
      put('secrets', 'ssh', 'id_ed25519', CANARY_FILE);
    }
  });

  it('--secrets is for bundles only', async () => {
    const r = await run('export', '--secrets', '--format', 'json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--secrets adds secrets/ files to a bundle');
  });
});
