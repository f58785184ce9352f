import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderAccount } from '../../api/index.js';
import { createProviderResolver, type CredentialSource } from './provider-resolver.js';

const SIM: ProviderAccount = { name: 'sim-a', type: 'sim' };

/** Hands out `current` as the credentials, or rejects while `failing`. */
function switchableCredentials(): CredentialSource & { current: Record<string, string>; failing: boolean } {
  const source = {
    current: {} as Record<string, string>,
    failing: false,
    credentials: () => (source.failing ? Promise.reject(new Error('provider account "sim-a": Secret ns/x does not exist')) : Promise.resolve(source.current)),
  };
  return source;
}

describe('createProviderResolver', () => {
  it('hands out the same Provider while nothing that shapes it changes', async () => {
    const resolver = createProviderResolver(switchableCredentials(), { simDir: '/tmp/polyfleet-resolver-test' });
    const first = await resolver.forAccount('default', SIM);
    expect(await resolver.forAccount('default', { ...SIM })).toBe(first);
    expect(await resolver.forAccount('other', SIM)).not.toBe(first);
  });

  it.each([
    { field: 'endpoint', edit: { endpoint: 'http://127.0.0.1:4566' } },
    { field: 'Secret name', edit: { credentialsSecretRef: { name: 'rotated' } } },
    { field: 'credential references', edit: { credentials: { apiKey: '${env.SIM_KEY}' } } },
    { field: 'prices', edit: { prices: { 'sim.small': '0.001' } } },
  ])('makes a new Provider when the Strategy edits the account\'s $field', async ({ edit }) => {
    const resolver = createProviderResolver(switchableCredentials(), { simDir: '/tmp/polyfleet-resolver-test' });
    const before = await resolver.forAccount('default', SIM);
    const after = await resolver.forAccount('default', { ...SIM, ...edit });
    expect(after).not.toBe(before);
    expect(await resolver.forAccount('default', { ...SIM, ...edit })).toBe(after);
  });

  it('makes a new Provider with the new credentials when they change (a rotated Secret)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'polyfleet-resolver-'));
    try {
      const credentials = switchableCredentials();
      credentials.current = { apiKey: 'revoked-key' };
      const resolver = createProviderResolver(credentials, { simDir: dir, retry: { maxAttempts: 1 } });
      await expect((await resolver.forAccount('default', SIM)).regions()).rejects.toMatchObject({ kind: 'auth' });
      credentials.current = { apiKey: 'sim-rotated' };
      await expect((await resolver.forAccount('default', SIM)).regions()).resolves.not.toHaveLength(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps no failure: the call after a missing Secret appears gets a Provider', async () => {
    const credentials = switchableCredentials();
    credentials.failing = true;
    const resolver = createProviderResolver(credentials, { simDir: '/tmp/polyfleet-resolver-test' });
    await expect(resolver.forAccount('default', SIM)).rejects.toThrow('Secret ns/x does not exist');
    credentials.failing = false;
    await expect(resolver.forAccount('default', SIM)).resolves.toMatchObject({ type: 'sim', account: 'sim-a' });
  });
});
