import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileVarsReader } from './file-sources.js';

const dir = mkdtempSync(join(tmpdir(), 'polyfleet-file-sources-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function put(kind: 'configmaps' | 'secrets', name: string, key: string, value: string): void {
  mkdirSync(join(dir, kind, 'team-a', name), { recursive: true });
  writeFileSync(join(dir, kind, 'team-a', name, key), value);
}

describe('fileVarsReader: ConfigMaps and Secrets as files beside the state file', () => {
  const reader = fileVarsReader(dir);

  it('reads a key of each kind from <dir>/<kind>/<namespace>/<name>/<key>', async () => {
    put('configmaps', 'web-vars', 'vars.yaml', 'a: 1\n');
    put('secrets', 'keys', 'id_ed25519', 'PEM');
    expect(await reader.configMapKey('team-a', 'web-vars', 'vars.yaml')).toBe('a: 1\n');
    expect(await reader.secretKey('team-a', 'keys', 'id_ed25519')).toBe('PEM');
  });

  it('answers "not found" only for what is not there', async () => {
    expect(await reader.configMapKey('team-a', 'web-vars', 'other.yaml')).toBeUndefined();
    expect(await reader.configMapKey('team-b', 'web-vars', 'vars.yaml')).toBeUndefined();
    expect(await reader.secretKey('team-a', 'no-such-secret', 'k')).toBeUndefined();
  });

  it('says why a key that is there cannot be read, for a ConfigMap as for a Secret, rather than call it missing', async () => {
    mkdirSync(join(dir, 'configmaps', 'team-a', 'web-vars', 'a-directory'), { recursive: true });
    expect(await reader.configMapKey('team-a', 'web-vars', 'a-directory')).toEqual({ refused: `${join(dir, 'configmaps', 'team-a', 'web-vars', 'a-directory')} cannot be read (EISDIR)` });
    mkdirSync(join(dir, 'secrets', 'team-a', 'keys', 'a-directory'), { recursive: true });
    expect(await reader.secretKey('team-a', 'keys', 'a-directory')).toEqual({ refused: `${join(dir, 'secrets', 'team-a', 'keys', 'a-directory')} cannot be read (EISDIR)` });
  });

  it('refuses names and keys Kubernetes would refuse instead of turning them into paths', async () => {
    put('configmaps', 'web-vars', 'vars.yaml', 'a: 1\n');
    for (const [ns, name, key] of [['..', 'web-vars', 'vars.yaml'], ['team-a', '../team-a/web-vars', 'vars.yaml'], ['team-a', 'web-vars', '..'], ['team-a', 'web-vars', '../web-vars/vars.yaml']] as const) {
      expect(await reader.configMapKey(ns, name, key)).toEqual({ refused: 'not a valid Kubernetes name or key' });
    }
  });
});
