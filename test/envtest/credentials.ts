import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The user the static token authenticates as; `system:masters` bypasses RBAC. */
export const ADMIN_USER = 'polyfleet-envtest-admin';
export const ADMIN_GROUP = 'system:masters';

export interface ApiServerCredentials {
  token: string;
  tokenFile: string;
  serviceAccountPublicKeyFile: string;
  serviceAccountSigningKeyFile: string;
}

/**
 * Writes what kube-apiserver needs to authenticate: a static token file (`--token-auth-file`,
 * CSV `token,user,uid,"groups"`) with one admin user, and an ECDSA P-256 key pair to sign and
 * verify service-account tokens (`--service-account-signing-key-file`, `--service-account-key-file`).
 */
export function writeApiServerCredentials(dir: string): ApiServerCredentials {
  const token = randomBytes(32).toString('hex');
  const tokenFile = join(dir, 'tokens.csv');
  writeFileSync(tokenFile, `${token},${ADMIN_USER},${ADMIN_USER},"${ADMIN_GROUP}"\n`, { mode: 0o600 });

  const { publicKey, privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const serviceAccountPublicKeyFile = join(dir, 'service-account.pub');
  const serviceAccountSigningKeyFile = join(dir, 'service-account.key');
  writeFileSync(serviceAccountPublicKeyFile, publicKey);
  writeFileSync(serviceAccountSigningKeyFile, privateKey, { mode: 0o600 });
  return { token, tokenFile, serviceAccountPublicKeyFile, serviceAccountSigningKeyFile };
}

const pemCertificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g;

/**
 * kube-apiserver started with `--cert-dir` and no serving certificate generates one: a fresh CA
 * and a certificate it signs for the bind address, written to `<cert-dir>/apiserver.crt` as the
 * serving certificate followed by the CA. Returns that CA (PEM), or undefined while the file is
 * not there yet, so clients can verify the server instead of skipping TLS verification.
 */
export function readSelfSignedCa(certDir: string): string | undefined {
  let pem: string;
  try {
    pem = readFileSync(join(certDir, 'apiserver.crt'), 'utf8');
  } catch {
    return undefined;
  }
  const blocks = pem.match(pemCertificate);
  const ca = blocks?.[1];
  if (ca === undefined) return undefined;
  try {
    if (!new X509Certificate(ca).ca) return undefined;
  } catch {
    return undefined; // half-written
  }
  return ca.endsWith('\n') ? ca : `${ca}\n`;
}
