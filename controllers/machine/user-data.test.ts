import { describe, expect, it } from '@jest/globals';
import { API_VERSION, type Machine, type MachineSpec } from '../../api/index.js';
import { CREDENTIALS_SECRET_TYPE, type SecretContent, type SecretReader } from '../../runtime/secrets/index.js';
import { resolveUserData } from './user-data.js';

const CANARY = 'user-data-canary-5e1f09';
const REF = { name: 'node-join', key: 'user-data' };

function machine(spec: Partial<MachineSpec>): Machine {
  return {
    apiVersion: API_VERSION,
    kind: 'Machine',
    metadata: { name: 'workers-abcde', namespace: 'team-a' },
    spec: { pool: 'workers', provider: 'sim-a', providerType: 'sim', region: 'r1', zone: 'z1', instanceType: 't1', slot: 0, failureDomain: 'sim-a/r1/z1', ...spec },
  };
}

function secrets(content: Record<string, SecretContent>): SecretReader & { reads: string[] } {
  const reader = {
    reads: [] as string[],
    read: (namespace: string, name: string) => {
      reader.reads.push(`${namespace}/${name}`);
      return Promise.resolve(content[`${namespace}/${name}`]);
    },
  };
  return reader;
}

describe('resolveUserData', () => {
  it('gives inline userData as it is, and nothing when there is none, without reading a Secret', async () => {
    const reader = secrets({});
    await expect(resolveUserData({ secrets: reader }, machine({ userData: '#cloud-config\n' }))).resolves.toEqual({ kind: 'ok', userData: '#cloud-config\n' });
    await expect(resolveUserData({ secrets: reader }, machine({}))).resolves.toEqual({ kind: 'ok' });
    await expect(resolveUserData({}, machine({}))).resolves.toEqual({ kind: 'ok' });
    expect(reader.reads).toEqual([]);
  });

  it("reads the key of the Secret in the Machine's namespace", async () => {
    const reader = secrets({ 'team-a/node-join': { type: CREDENTIALS_SECRET_TYPE, data: { 'user-data': CANARY, other: 'x' } } });
    await expect(resolveUserData({ secrets: reader }, machine({ userDataSecretRef: REF }))).resolves.toEqual({ kind: 'ok', userData: CANARY });
    expect(reader.reads).toEqual(['team-a/node-join']);
  });

  it.each<{ name: string; content: Record<string, SecretContent>; message: string }>([
    {
      name: 'a missing Secret',
      content: {},
      message: 'Secret team-a/node-join (userDataSecretRef) does not exist; the Machine waits for it: kubectl create secret generic node-join --type=polyfleet.io/credentials --from-file=user-data=PATH',
    },
    {
      name: 'an Opaque Secret',
      content: { 'team-a/node-join': { type: 'Opaque', data: { 'user-data': CANARY } } },
      message:
        'Secret team-a/node-join (userDataSecretRef) has type "Opaque"; polyfleet uses only Secrets of type "polyfleet.io/credentials", so that whoever may write its objects cannot have any other Secret of the namespace sent out. A Secret\'s type cannot be changed: recreate it with that type, e.g. kubectl create secret generic node-join --type=polyfleet.io/credentials --from-file=user-data=PATH; the Machine waits for it',
    },
    {
      name: 'a missing key',
      content: { 'team-a/node-join': { type: CREDENTIALS_SECRET_TYPE, data: { userData: CANARY } } },
      message: 'Secret team-a/node-join (userDataSecretRef) has no key "user-data" (it has only "userData"); the Machine waits for it',
    },
  ])('waits for $name, naming the Secret and key, never a value', async ({ content, message }) => {
    const result = await resolveUserData({ secrets: secrets(content) }, machine({ userDataSecretRef: REF }));
    expect(result).toEqual({ kind: 'missing', message });
    expect(JSON.stringify(result)).not.toContain(CANARY);
  });

  it('waits when the Secret cannot be read (RBAC), saying what the API server said', async () => {
    const reader: SecretReader = { read: () => Promise.reject(new Error('reading Secret team-a/node-join: HTTP 403: forbidden')) };
    await expect(resolveUserData({ secrets: reader }, machine({ userDataSecretRef: REF }))).resolves.toEqual({
      kind: 'missing',
      message: 'reading Secret team-a/node-join: HTTP 403: forbidden (userDataSecretRef); the Machine waits for it',
    });
  });

  it('refuses a userDataSecretRef standalone (no Secrets), saying to use inline userData', async () => {
    await expect(resolveUserData({}, machine({ userDataSecretRef: REF }))).resolves.toEqual({
      kind: 'missing',
      message: 'userDataSecretRef (Secret "node-join", key "user-data") needs a cluster; standalone, put the user data inline in the NodePool\'s spec.template.userData',
    });
  });
});
