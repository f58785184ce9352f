import { describe, expect, it } from '@jest/globals';
import { AuthError, CapacityError, PROVIDER_ERROR_KINDS, ProviderFault, ThrottledError, isProviderError, providerError } from './errors.js';

describe('provider errors', () => {
  it('name the account, the class and what to check', () => {
    const e = new CapacityError('no capacity for m5.large in us-east-1a', 'aws-east');
    expect(e.name).toBe('CapacityError');
    expect(e.message).toBe('provider account "aws-east": no capacity for m5.large in us-east-1a; try another zone or instance type');
    expect(new AuthError('the token was refused', 'do').message).toMatch(/^provider account "do": the token was refused; check the account's credentials/);
  });

  it.each(PROVIDER_ERROR_KINDS)('builds a %s error of its class, seen through isProviderError', (kind) => {
    const e = providerError(kind, 'detail', 'acct', { retryAfterMs: 42 });
    expect(e.kind).toBe(kind);
    expect(e.account).toBe('acct');
    expect(e).toBeInstanceOf(ProviderFault);
    expect(isProviderError(e)).toBe(true);
    expect(e instanceof ThrottledError ? e.retryAfterMs : undefined).toBe(kind === 'throttled' ? 42 : undefined);
  });

  it('tells other errors apart', () => {
    expect(isProviderError(new Error('x'))).toBe(false);
    expect(isProviderError({ kind: 'capacity', account: 'a' })).toBe(false);
  });

  it('keeps a cause', () => {
    const cause = new Error('HTTP 503');
    expect(providerError('transient', 'list failed', 'a', { cause }).cause).toBe(cause);
  });
});
