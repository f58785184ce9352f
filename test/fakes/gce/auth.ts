import { createPublicKey, generateKeyPairSync, randomUUID, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * Who may call the fake: a bearer access token, or a service account's self-signed JWT
 * (https://developers.google.com/identity/protocols/oauth2/service-account#jwt-auth), which is what
 * google-auth-library sends for a service-account key with `useJWTAccessWithScope`: RS256 over
 * `{iss, sub: client_email, scope | aud, iat, exp}`, signed with the key the fake issued.
 */
export interface FakeServiceAccount {
  readonly email: string;
  /** The key file JSON, as "Create key" downloads it. */
  readonly keyJson: string;
}

export interface Authenticator {
  readonly serviceAccount: FakeServiceAccount;
  accepts(authorization: string | undefined): boolean;
}

const COMPUTE_SCOPES = ['https://www.googleapis.com/auth/compute', 'https://www.googleapis.com/auth/cloud-platform'];

/** RSA keys cost tens of milliseconds each on a loaded machine, so a process makes each one once. */
const keyPairs = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();

function keyPair(slot: string): { privateKey: KeyObject; publicKey: KeyObject } {
  let pair = keyPairs.get(slot);
  if (pair === undefined) {
    pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keyPairs.set(slot, pair);
  }
  return pair;
}

/** A service account of `project`; `slot` picks the key pair, so another slot is a key the fake never issued. */
export function newServiceAccount(project: string, slot = 'issued'): { account: FakeServiceAccount; publicKey: KeyObject } {
  const { privateKey, publicKey } = keyPair(slot);
  const email = `polyfleet@${project}.iam.gserviceaccount.com`;
  const keyJson = JSON.stringify({
    type: 'service_account',
    project_id: project,
    private_key_id: randomUUID().replaceAll('-', ''),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: email,
    client_id: '100000000000000000001',
    token_uri: 'https://oauth2.googleapis.com/token',
  });
  return { account: { email, keyJson }, publicKey: createPublicKey(publicKey.export({ type: 'spki', format: 'pem' })) };
}

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function acceptsJwt(jwt: string, email: string, publicKey: KeyObject, nowMs: number): boolean {
  const [header, payload, signature, ...rest] = jwt.split('.');
  if (rest.length > 0 || header === undefined || payload === undefined || signature === undefined) return false;
  const h = decodePart(header);
  const p = decodePart(payload);
  if (h?.alg !== 'RS256' || p?.iss !== email || p.sub !== email) return false;
  if (typeof p.exp !== 'number' || p.exp * 1000 < nowMs) return false;
  const scopes = typeof p.scope === 'string' ? p.scope.split(' ') : [];
  if (!scopes.some((s) => COMPUTE_SCOPES.includes(s)) && typeof p.aud !== 'string') return false;
  return verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
}

export function authenticator(project: string, accessToken: string, now: () => number): Authenticator {
  const { account, publicKey } = newServiceAccount(project);
  return {
    serviceAccount: account,
    accepts: (authorization) => {
      const token = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined;
      if (token === undefined) return false;
      return token === accessToken || acceptsJwt(token, account.email, publicKey, now());
    },
  };
}
