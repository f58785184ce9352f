import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderAccount } from '../../api/index.js';
import { standaloneCredentials } from './credentials-standalone.js';

const aws = (credentials: Record<string, string>): ProviderAccount => ({ name: 'aws-east', type: 'aws', credentials });

describe('standaloneCredentials', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'polyfleet-creds-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads ${env.VAR} from the environment and ${file:PATH} from the file, one trailing newline trimmed', async () => {
    await writeFile(join(dir, 'secret-key'), 'wJalr/K7MDENG\n\n');
    const source = standaloneCredentials({ env: { AWS_KEY_ID: 'AKIAEXAMPLE' }, baseDir: '/nowhere' });
    const account = aws({ accessKeyId: '${env.AWS_KEY_ID}', secretAccessKey: `\${file:${join(dir, 'secret-key')}}` });
    await expect(source.credentials('default', account)).resolves.toEqual({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'wJalr/K7MDENG\n' });
  });

  it('finds a relative ${file:PATH} in the directory it was given (the working directory by default)', async () => {
    await writeFile(join(dir, 'do-token'), 'dop_v1_0123\r\n');
    const source = standaloneCredentials({ env: {}, baseDir: dir });
    await expect(source.credentials('default', { name: 'do', type: 'digitalocean', credentials: { token: '${file:do-token}' } })).resolves.toEqual({ token: 'dop_v1_0123' });
    expect(await standaloneCredentials({ env: {} }).credentials('default', { name: 'do', type: 'digitalocean', credentials: { token: '${file:package.json}' } }).then((c) => c.token?.includes('"name"'))).toBe(true);
  });

  it('names account, key and variable of an unset variable', async () => {
    const source = standaloneCredentials({ env: { AWS_KEY_ID: 'AKIAEXAMPLE' } });
    await expect(source.credentials('default', aws({ accessKeyId: '${env.AWS_KEY_ID}', secretAccessKey: '${env.AWS_SECRET}' }))).rejects.toThrow(
      'provider account "aws-east": credential "secretAccessKey" refers to environment variable AWS_SECRET, which is not set or empty',
    );
  });

  it('names account, key and file of a file that cannot be read', async () => {
    const missing = join(dir, 'nope');
    const source = standaloneCredentials({ env: {} });
    await expect(source.credentials('default', aws({ accessKeyId: `\${file:${missing}}`, secretAccessKey: `\${file:${missing}}` }))).rejects.toThrow(
      `provider account "aws-east": credential "accessKeyId" refers to file ${missing}, which cannot be read (ENOENT)`,
    );
  });

  it('says which keys the type needs when the references give others, without any value', async () => {
    const source = standaloneCredentials({ env: { AWS_ACCESS_KEY_ID: 'AKIA-DISTINCTIVE' } });
    const error = await source.credentials('default', aws({ AWS_ACCESS_KEY_ID: '${env.AWS_ACCESS_KEY_ID}' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('provider account "aws-east": credentials: has only "AWS_ACCESS_KEY_ID"; a aws account needs accessKeyId and secretAccessKey');
    expect((error as Error).message).not.toContain('DISTINCTIVE');
  });

  it('refuses a credentialsSecretRef, saying to use references', async () => {
    const source = standaloneCredentials({ env: {} });
    await expect(source.credentials('default', { name: 'do', type: 'digitalocean', credentialsSecretRef: { name: 'do-token' } })).rejects.toThrow(
      'provider account "do": credentialsSecretRef (Secret "do-token") needs a cluster; standalone, give credentials: references such as ${env.VAR} or ${file:PATH} instead',
    );
  });

  it('gives nothing to an account without credentials (sim, or the AWS SDK\'s own chain)', async () => {
    await expect(standaloneCredentials({ env: {} }).credentials('default', { name: 'sim-a', type: 'sim' })).resolves.toEqual({});
  });
});
