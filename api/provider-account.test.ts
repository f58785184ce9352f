import { describe, expect, it } from '@jest/globals';
import { parseKind, type ParseResult } from './index.js';

function issues<T>(r: ParseResult<T>): string[] {
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
}

const withAccount = (account: object) =>
  parseKind('Strategy', { apiVersion: 'polyfleet.io/v1alpha1', kind: 'Strategy', metadata: { name: 's' }, spec: { providers: [{ name: 'a', type: 'aws', ...account }] } });

describe('a Strategy\'s provider account', () => {
  it('takes a Secret, references, an endpoint, a project and price overrides', () => {
    const r = withAccount({
      credentialsSecretRef: { name: 'aws-creds' },
      credentials: { accessKeyId: '${env.AWS_ACCESS_KEY_ID}', secretAccessKey: '${file:/run/secrets/aws key}' },
      endpoint: 'http://127.0.0.1:5000',
      project: 'my-project-123',
      prices: { 'm5.large': '0.05', 't3.micro': '0.0052' },
    });
    expect(issues(r)).toEqual([]);
  });

  it.each([
    { name: 'a literal secret', credentials: { secretAccessKey: 'wJalrXUtnFEMI/K7MDENG' } },
    { name: 'an env reference with text around it', credentials: { token: 'Bearer ${env.DO_TOKEN}' } },
    { name: 'an env reference to a bad variable name', credentials: { token: '${env.1TOKEN}' } },
    { name: 'an empty file reference', credentials: { token: '${file:}' } },
  ])('refuses $name in credentials, saying it must be a reference', ({ credentials }) => {
    const [key] = Object.keys(credentials);
    expect(issues(withAccount({ credentials }))).toEqual([
      `spec.providers[0].credentials.${key ?? ''}: must be a reference such as "\${env.AWS_SECRET_ACCESS_KEY}" or "\${file:/path/to/key}", never the secret itself`,
    ]);
  });

  it('refuses a credential key that is not an identifier, naming it', () => {
    // zod reports a bad record key as "Invalid key in record", without the schema's own message.
    expect(issues(withAccount({ credentials: { 'access-key': '${env.K}' } }))).toEqual(['spec.providers[0].credentials.access-key: Invalid key in record']);
  });

  it('refuses an endpoint that is not a URL and a price that is not money', () => {
    expect(issues(withAccount({ endpoint: '127.0.0.1:5000' }))).toEqual([expect.stringMatching(/^spec\.providers\[0\]\.endpoint: /)]);
    expect(issues(withAccount({ prices: { 'm5.large': 'cheap' } }))).toEqual([expect.stringMatching(/^spec\.providers\[0\]\.prices\.m5\.large: /)]);
  });

  it('takes a rate limit, each field on its own', () => {
    expect(issues(withAccount({ rateLimit: { readsPerSecond: 2.5, readBurst: 20, writesPerSecond: 0.5, writeBurst: 5 } }))).toEqual([]);
    expect(issues(withAccount({ rateLimit: { writesPerSecond: 1 } }))).toEqual([]);
  });

  it('refuses a bad rate limit, naming the field and the value', () => {
    expect(issues(withAccount({ rateLimit: { readsPerSecond: 0, readBurst: 2.5, writesPerSecond: 'fast', writeBurst: 0, often: true } }))).toEqual([
      'spec.providers[0].rateLimit.readsPerSecond: must be at least 0.001 calls per second (one in about 17 minutes), not 0',
      'spec.providers[0].rateLimit.readBurst: must be a whole number of calls, not 2.5',
      'spec.providers[0].rateLimit.writesPerSecond: must be a number of calls per second, not "fast"',
      'spec.providers[0].rateLimit.writeBurst: must be at least 1 call, not 0',
      'spec.providers[0].rateLimit.often: unknown field "often"',
    ]);
    expect(issues(withAccount({ rateLimit: { writesPerSecond: 20_000 } }))).toEqual(['spec.providers[0].rateLimit.writesPerSecond: must be at most 10000 calls per second, not 20000']);
  });
});
