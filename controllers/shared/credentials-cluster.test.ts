import { describe, expect, it } from '@jest/globals';
import type { ProviderAccount } from '../../api/index.js';
import type { SecretData, SecretReader } from '../../runtime/secrets/index.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { clusterCredentials } from './credentials-cluster.js';

/** Secrets in memory, counting reads. */
function fakeSecrets(): SecretReader & { secrets: Map<string, SecretData>; reads: number } {
  const secrets = new Map<string, SecretData>();
  const fake = {
    secrets,
    reads: 0,
    read(namespace: string, name: string) {
      fake.reads++;
      return Promise.resolve(secrets.get(`${namespace}/${name}`));
    },
  };
  return fake;
}

const DO: ProviderAccount = { name: 'do', type: 'digitalocean', credentialsSecretRef: { name: 'do-token' } };

describe('clusterCredentials', () => {
  it("reads the Secret the account names in the Strategy's namespace", async () => {
    const secrets = fakeSecrets();
    secrets.secrets.set('team-a/do-token', { token: 'dop_v1_a' });
    secrets.secrets.set('team-b/do-token', { token: 'dop_v1_b' });
    const source = clusterCredentials({ secrets, clock: new FakeClock() });
    await expect(source.credentials('team-a', DO)).resolves.toEqual({ token: 'dop_v1_a' });
    await expect(source.credentials('team-b', DO)).resolves.toEqual({ token: 'dop_v1_b' });
  });

  it('names namespace, Secret and account when the Secret is missing, and finds it once it is created', async () => {
    const secrets = fakeSecrets();
    const source = clusterCredentials({ secrets, clock: new FakeClock() });
    await expect(source.credentials('team-a', DO)).rejects.toThrow(
      'provider account "do": Secret team-a/do-token (credentialsSecretRef) does not exist; create it with the account\'s credentials',
    );
    secrets.secrets.set('team-a/do-token', { token: 'dop_v1_a' });
    await expect(source.credentials('team-a', DO)).resolves.toEqual({ token: 'dop_v1_a' });
  });

  it('names the Secret and the keys it has when the needed key is missing, never a value', async () => {
    const secrets = fakeSecrets();
    secrets.secrets.set('team-a/do-token', { DIGITALOCEAN_TOKEN: 'dop_v1_DISTINCTIVE' });
    const error = (await clusterCredentials({ secrets, clock: new FakeClock() }).credentials('team-a', DO).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('provider account "do": Secret team-a/do-token has only "DIGITALOCEAN_TOKEN"; a digitalocean account needs token');
    expect(error.message).not.toContain('DISTINCTIVE');
  });

  it('reads a Secret again once it is 30 s old, so an edit is used from then on', async () => {
    const secrets = fakeSecrets();
    const clock = new FakeClock();
    secrets.secrets.set('team-a/do-token', { token: 'old' });
    const source = clusterCredentials({ secrets, clock });
    await source.credentials('team-a', DO);
    secrets.secrets.set('team-a/do-token', { token: 'new' });
    await expect(source.credentials('team-a', DO)).resolves.toEqual({ token: 'old' });
    expect(secrets.reads).toBe(1);
    clock.advance(30_000);
    await expect(source.credentials('team-a', DO)).resolves.toEqual({ token: 'new' });
    expect(secrets.reads).toBe(2);
  });

  it('refuses credentials: references, saying why', async () => {
    const source = clusterCredentials({ secrets: fakeSecrets(), clock: new FakeClock() });
    const account: ProviderAccount = { name: 'aws-east', type: 'aws', credentials: { accessKeyId: '${env.AWS_ACCESS_KEY_ID}' } };
    await expect(source.credentials('team-a', account)).rejects.toThrow(
      /^provider account "aws-east": credentials: references .* are refused in a cluster, because they would hand the controller's own environment and files to whoever may write a Strategy .*; put the credentials in a Secret and name it in credentialsSecretRef$/,
    );
  });

  it('names the Secret when reading it fails (RBAC), and tries again next time', async () => {
    let denied = true;
    const secrets: SecretReader = {
      read: (namespace, name) => (denied ? Promise.reject(new Error(`reading Secret ${namespace}/${name}: HTTP 403: forbidden`)) : Promise.resolve({ token: 't' })),
    };
    const source = clusterCredentials({ secrets, clock: new FakeClock() });
    await expect(source.credentials('team-a', DO)).rejects.toThrow('provider account "do": reading Secret team-a/do-token: HTTP 403: forbidden');
    denied = false;
    await expect(source.credentials('team-a', DO)).resolves.toEqual({ token: 't' });
  });

  it.each(['aws', 'gcp', 'digitalocean'] as const)('refuses a %s account with an endpoint but no Secret, since ambient credentials would go there', async (type) => {
    const source = clusterCredentials({ secrets: fakeSecrets(), clock: new FakeClock() });
    await expect(source.credentials('team-a', { name: 'x', type, endpoint: 'http://attacker.example:8080' })).rejects.toThrow(
      /^provider account "x": endpoint is set without a credentialsSecretRef; .* would otherwise send the controller's ambient credentials .* to that endpoint$/,
    );
  });

  it('gives nothing to an account without a Secret (sim)', async () => {
    await expect(clusterCredentials({ secrets: fakeSecrets(), clock: new FakeClock() }).credentials('team-a', { name: 'sim-a', type: 'sim' })).resolves.toEqual({});
  });
});
