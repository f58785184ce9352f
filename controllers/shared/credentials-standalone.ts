import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ProviderAccount } from '../../api/index.js';
import { checkCredentialKeys, CredentialsError } from './credentials-error.js';
import type { CredentialSource } from './provider-resolver.js';

export interface StandaloneCredentialsOptions {
  /** Default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where a relative ${file:PATH} is found; default the working directory of the process. */
  readonly baseDir?: string;
}

const REFERENCE = /^\$\{(?:env\.([A-Za-z_][A-Za-z0-9_]*)|file:([^}]+))\}$/;

/**
 * `polyfleet run` and `polyfleet create`: each of an account's `credentials` is a reference,
 * `${env.VAR}` (the process's environment) or `${file:PATH}` (the file's content without one
 * trailing newline; a relative PATH is relative to the working directory polyfleet was started in,
 * since a Strategy in a state file no longer knows which manifest it came from). Read on every
 * call, so a rotated file is used from the next provider made. A credentialsSecretRef is refused:
 * there is no cluster to read it from.
 */
export function standaloneCredentials(options: StandaloneCredentialsOptions = {}): CredentialSource {
  const env = options.env ?? process.env;
  const baseDir = options.baseDir ?? process.cwd();
  return {
    async credentials(_namespace, account) {
      if (account.credentialsSecretRef !== undefined) {
        throw new CredentialsError(
          account,
          `credentialsSecretRef (Secret "${account.credentialsSecretRef.name}") needs a cluster; standalone, give credentials: references such as \${env.VAR} or \${file:PATH} instead`,
        );
      }
      const refs = account.credentials;
      if (refs === undefined) return {};
      const entries = await Promise.all(Object.entries(refs).map(async ([key, ref]) => [key, await dereference(account, key, ref, env, baseDir)] as const));
      return checkCredentialKeys(account, Object.fromEntries(entries), 'credentials:');
    },
  };
}

async function dereference(account: ProviderAccount, key: string, ref: string, env: Readonly<Record<string, string | undefined>>, baseDir: string): Promise<string> {
  const match = REFERENCE.exec(ref);
  const variable = match?.[1];
  const path = match?.[2];
  if (variable !== undefined) {
    const value = env[variable];
    if (value === undefined || value === '') throw new CredentialsError(account, `credential "${key}" refers to environment variable ${variable}, which is not set or empty`);
    return value;
  }
  if (path !== undefined) {
    const file = resolve(baseDir, path);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new CredentialsError(account, `credential "${key}" refers to file ${file}, which cannot be read (${code})`);
    }
    const value = text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
    if (value === '') throw new CredentialsError(account, `credential "${key}" refers to file ${file}, which is empty`);
    return value;
  }
  // The schema admits only the two forms; a Strategy that bypassed it gets no echo of what it holds.
  throw new CredentialsError(account, `credential "${key}" is not a \${env.VAR} or \${file:PATH} reference`);
}
