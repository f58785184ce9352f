import { describe, expect, it } from '@jest/globals';
import type { ProviderAccount } from '../../api/index.js';
import { CREDENTIALS_SECRET_TYPE, type SecretContent, type SecretData, type SecretReader } from '../../runtime/secrets/index.js';
import { FakeClock } from '../../runtime/testing/fake-clock.js';
import { clusterCredentials } from './credentials-cluster.js';
import { CredentialsError } from './credentials-error.js';

/** Secrets in memory, counting reads; `set` makes one of the credentials type unless told another. */
function fakeSecrets(): SecretReader & { set(key: string, data: SecretData, type?: string): void; reads: number } {
  const secrets = new Map<string, SecretContent>();
  const fake = {
    reads: 0,
    set(key: string, data: SecretData, type = CREDENTIALS_SECRET_TYPE) {
      secrets.set(key, { type, data });
    },
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
    secrets.set('team-a/do-token', { token: 'dop_v1_a' });
    secrets.set('team-b/do-token', { token: 'dop_v1_b' });
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
    secrets.set('team-a/do-token', { token: 'dop_v1_a' });
    await expect(source.credentials('team-a', DO)).resolves.toEqual({ token: 'dop_v1_a' });
  });

  it('names the Secret and the keys it has when the needed key is missing, never a value', async () => {
    const secrets = fakeSecrets();
    secrets.set('team-a/do-token', { DIGITALOCEAN_TOKEN: 'dop_v1_DISTINCTIVE' });
    const error = (await clusterCredentials({ secrets, clock: new FakeClock() }).credentials('team-a', DO).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('provider account "do": Secret team-a/do-token has only "DIGITALOCEAN_TOKEN"; a digitalocean account needs token');
    expect(error.message).not.toContain('DISTINCTIVE');
  });

  it('reads a Secret again once it is 30 s old, so an edit is used from then on', async () => {
    const secrets = fakeSecrets();
    const clock = new FakeClock();
    secrets.set('team-a/do-token', { token: 'old' });
    const source = clusterCredentials({ secrets, clock });
    await source.credentials('team-a', DO);
    secrets.set('team-a/do-token', { token: 'new' });
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
      read: (namespace, name) => (denied ? Promise.reject(new Error(`reading Secret ${namespace}/${name}: HTTP 403: forbidden`)) : Promise.resolve({ type: CREDENTIALS_SECRET_TYPE, data: { token: 't' } })),
    };
    const source = clusterCredentials({ secrets, clock: new FakeClock() });
    await expect(source.credentials('team-a', DO)).rejects.toThrow('provider account "do": reading Secret team-a/do-token: HTTP 403: forbidden');
    denied = false;
    await expect(source.credentials('team-a', DO)).resolves.toEqual({ token: 't' });
  });

  it.each(['aws', 'gcp', 'digitalocean'] as const)('refuses a %s account with an allowed endpoint but no Secret, since ambient credentials would go there', async (type) => {
    const source = clusterCredentials({ secrets: fakeSecrets(), clock: new FakeClock(), allowedEndpoints: [{ host: 'proxy.example' }] });
    await expect(source.credentials('team-a', { name: 'x', type, endpoint: 'http://proxy.example:8080' })).rejects.toThrow(
      /^provider account "x": endpoint is set without a credentialsSecretRef; .* would otherwise send the controller's ambient credentials .* to that endpoint$/,
    );
  });

  it.each([
    { name: 'an Opaque Secret', type: 'Opaque' },
    { name: 'a TLS Secret', type: 'kubernetes.io/tls' },
    { name: 'a service account token', type: 'kubernetes.io/service-account-token' },
  ])('refuses $name, naming the Secret and its type and how to recreate it, never its content', async ({ type }) => {
    const secrets = fakeSecrets();
    secrets.set('team-a/do-token', { token: 'dop_v1_DISTINCTIVE', 'tls.key': 'KEY-DISTINCTIVE' }, type);
    const error = (await clusterCredentials({ secrets, clock: new FakeClock() }).credentials('team-a', DO).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error.message).toBe(
      `provider account "do": Secret team-a/do-token (credentialsSecretRef) has type "${type}"; polyfleet uses only Secrets of type "polyfleet.io/credentials", so that whoever may write its objects cannot have any other Secret of the namespace sent out. A Secret's type cannot be changed: recreate it with that type, e.g. kubectl create secret generic do-token --type=polyfleet.io/credentials --from-literal=token=...`,
    );
    expect(error.message).not.toContain('DISTINCTIVE');
  });

  it('uses the Secret once it is recreated with the credentials type', async () => {
    const secrets = fakeSecrets();
    secrets.set('team-a/do-token', { token: 'dop_v1_a' }, 'Opaque');
    const source = clusterCredentials({ secrets, clock: new FakeClock(), maxAgeMs: 0 });
    await expect(source.credentials('team-a', DO)).rejects.toThrow('has type "Opaque"');
    secrets.set('team-a/do-token', { token: 'dop_v1_a' });
    await expect(source.credentials('team-a', DO)).resolves.toEqual({ token: 'dop_v1_a' });
  });

  it.each([
    { endpoint: 'https://attacker.example', host: 'attacker.example', flag: '--allow-endpoint attacker.example' },
    { endpoint: 'http://attacker.example:8080/v2', host: 'attacker.example:8080', flag: '--allow-endpoint attacker.example (or --allow-endpoint attacker.example:8080 to allow that port only)' },
    { endpoint: 'http://127.0.0.1:5000', host: '127.0.0.1:5000', flag: '--allow-endpoint 127.0.0.1 (or' },
  ])('refuses endpoint $endpoint when no --allow-endpoint names it, naming account, host and flag, before any Secret is read', async ({ endpoint, host, flag }) => {
    const secrets = fakeSecrets();
    secrets.set('team-a/do-token', { token: 'dop_v1_a' });
    const error = (await clusterCredentials({ secrets, clock: new FakeClock() }).credentials('team-a', { ...DO, endpoint }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error.message).toContain(`provider account "do": endpoint host ${host} is not allowed in this cluster`);
    expect(error.message).toContain(`polyfleet controller with ${flag}`);
    expect(secrets.reads).toBe(0);
  });

  it.each([
    { allowed: [{ host: '127.0.0.1' }], endpoint: 'http://127.0.0.1:5000', ok: true },
    { allowed: [{ host: '127.0.0.1', port: 5000 }], endpoint: 'http://127.0.0.1:5000/', ok: true },
    { allowed: [{ host: '127.0.0.1', port: 5000 }], endpoint: 'http://127.0.0.1:5001', ok: false },
    { allowed: [{ host: 'ec2.internal.example', port: 443 }], endpoint: 'https://EC2.internal.example', ok: true },
    { allowed: [{ host: 'internal.example' }], endpoint: 'https://ec2.internal.example', ok: false },
    { allowed: [{ host: 'ec2.internal.example' }], endpoint: 'https://ec2.internal.example.attacker.example', ok: false },
    { allowed: [{ host: '127.0.0.1' }], endpoint: 'http://localhost:5000', ok: false },
  ])('with $allowed, endpoint $endpoint is allowed: $ok', async ({ allowed, endpoint, ok }) => {
    const secrets = fakeSecrets();
    secrets.set('team-a/do-token', { token: 'dop_v1_a' });
    const result = clusterCredentials({ secrets, clock: new FakeClock(), allowedEndpoints: allowed }).credentials('team-a', { ...DO, endpoint });
    if (ok) await expect(result).resolves.toEqual({ token: 'dop_v1_a' });
    else await expect(result).rejects.toThrow('is not allowed in this cluster');
  });

  it('never refuses a sim account for its endpoint (the sim has none)', async () => {
    await expect(clusterCredentials({ secrets: fakeSecrets(), clock: new FakeClock() }).credentials('team-a', { name: 'sim-a', type: 'sim', endpoint: 'http://attacker.example' })).resolves.toEqual({});
  });

  it('gives nothing to an account without a Secret (sim)', async () => {
    await expect(clusterCredentials({ secrets: fakeSecrets(), clock: new FakeClock() }).credentials('team-a', { name: 'sim-a', type: 'sim' })).resolves.toEqual({});
  });
});
