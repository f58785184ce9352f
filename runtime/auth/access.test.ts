import { describe, expect, it } from '@jest/globals';
import { bearerToken, loopbackAccess, parseTokenFile, tokenAccess } from './access.js';

describe('access control of our HTTP APIs', () => {
  it('a token file admits exactly its token, as a Bearer token, and says why it refuses', async () => {
    const access = tokenAccess('s3cret-token-0123456789');
    expect(await access.authenticate('Bearer s3cret-token-0123456789')).toEqual({ kind: 'ok', caller: { user: 'token-file', groups: [] } });
    expect(await access.authenticate('bearer s3cret-token-0123456789')).toMatchObject({ kind: 'ok' });
    expect(await access.authenticate(undefined)).toEqual({ kind: 'unauthenticated', reason: 'no Authorization header' });
    expect(await access.authenticate('Bearer s3cret-token-012345678')).toEqual({ kind: 'unauthenticated', reason: 'the token is not the one this server was given' });
    expect(await access.authenticate('Bearer s3cret-token-0123456789x')).toMatchObject({ kind: 'unauthenticated' });
    expect(await access.authenticate('Basic czNjcmV0')).toEqual({ kind: 'unauthenticated', reason: 'the Authorization header is not "Bearer <token>"' });
  });

  it('loopback access (no token) admits anyone who reaches it', async () => {
    expect(await loopbackAccess().authenticate(undefined)).toMatchObject({ kind: 'ok' });
    expect(await loopbackAccess().allowed({ user: 'loopback', groups: [] }, { verb: 'get', group: '', resource: 'secrets', namespace: 'x', name: 'y' })).toBe(true);
  });

  it('reads a token file\'s first line, and refuses one too short to be a secret, naming the flag and file', () => {
    expect(parseTokenFile('--inventory-token-file', 't', '0123456789abcdef0123\nignored\n')).toBe('0123456789abcdef0123');
    expect(() => parseTokenFile('--inventory-token-file', 't', 'short\n')).toThrow('--inventory-token-file t: the first line must be a token of at least 16 characters (e.g. openssl rand -hex 32 > t)');
    expect(bearerToken('Bearer  abc ')).toBe('abc');
    expect(bearerToken('Bearer a b')).toBeUndefined();
  });
});
