import { describe, expect, it } from '@jest/globals';
import type { ProviderAccount } from '../api/index.js';
import { ProviderUnavailableError, availableProviderTypes, createProvider } from './registry.js';
import { SimProvider } from './sim/index.js';

describe('provider registry', () => {
  it('makes a sim provider for a sim account, with the sim dir and key it is given', () => {
    const p = createProvider({ name: 'lab', type: 'sim' }, { apiKey: 'sim-key' }, { simDir: '/tmp/polyfleet-registry-test' });
    expect(p).toBeInstanceOf(SimProvider);
    expect(p).toMatchObject({ type: 'sim', account: 'lab', dir: '/tmp/polyfleet-registry-test' });
  });

  it('says which types this build can use', () => {
    expect(availableProviderTypes()).toEqual(['sim']);
  });

  it('refuses a known type whose adapter is not built yet, naming account and type', () => {
    expect(() => createProvider({ name: 'aws-east', type: 'aws' })).toThrow(
      new ProviderUnavailableError('aws-east', 'aws'),
    );
    expect(() => createProvider({ name: 'aws-east', type: 'aws' })).toThrow(
      'provider account "aws-east" has type "aws", which this build of polyfleet cannot use yet (available: sim)',
    );
  });

  it('refuses a type polyfleet does not know', () => {
    const account = { name: 'x', type: 'toString' } as unknown as ProviderAccount;
    expect(() => createProvider(account)).toThrow(
      'provider account "x" has type "toString", which is not a provider type polyfleet knows (known: aws, gcp, digitalocean, sim)',
    );
  });
});
