import { describe, expect, it } from '@jest/globals';
import type { ProviderAccount } from '../api/index.js';
import { ProviderUnavailableError, type ProviderType, availableProviderTypes, createProvider, missingCredentialKeys } from './registry.js';
import { ResilientProvider, innermostProvider } from './resilience/index.js';
import { SimProvider } from './sim/index.js';

describe('provider registry', () => {
  it('makes a sim provider for a sim account, with the sim dir and key it is given, wrapped', async () => {
    const p = await createProvider({ name: 'lab', type: 'sim' }, { apiKey: 'sim-key' }, { simDir: '/tmp/polyfleet-registry-test' });
    expect(p).toBeInstanceOf(ResilientProvider);
    expect(p).toMatchObject({ type: 'sim', account: 'lab' });
    const inner = innermostProvider(p);
    expect(inner).toBeInstanceOf(SimProvider);
    expect(inner).toMatchObject({ type: 'sim', account: 'lab', dir: '/tmp/polyfleet-registry-test' });
  });

  it('says which types this build can use', () => {
    expect(availableProviderTypes()).toContain('sim');
  });

  it('words a known type whose adapter is not built yet by naming account, type and what is available', () => {
    expect(new ProviderUnavailableError('aws-east', 'aws').message).toBe(
      `provider account "aws-east" has type "aws", which this build of polyfleet cannot use yet (available: ${availableProviderTypes().join(', ')})`,
    );
  });

  it('refuses a type polyfleet does not know', async () => {
    const account = { name: 'x', type: 'toString' } as unknown as ProviderAccount;
    await expect(createProvider(account)).rejects.toThrow(
      'provider account "x" has type "toString", which is not a provider type polyfleet knows (known: aws, gcp, digitalocean, sim)',
    );
  });

  it.each<{ type: ProviderType; credentials: Record<string, string>; missing: string | undefined }>([
    { type: 'aws', credentials: { accessKeyId: 'a' }, missing: 'accessKeyId and secretAccessKey' },
    { type: 'aws', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, missing: undefined },
    { type: 'gcp', credentials: {}, missing: 'serviceAccountKey, or accessToken' },
    { type: 'gcp', credentials: { accessToken: 't' }, missing: undefined },
    { type: 'digitalocean', credentials: { DO_TOKEN: 't' }, missing: 'token' },
    { type: 'sim', credentials: {}, missing: undefined },
  ])('says which credential keys $type lacks in $credentials', ({ type, credentials, missing }) => {
    expect(missingCredentialKeys(type, credentials)).toBe(missing);
  });
});
