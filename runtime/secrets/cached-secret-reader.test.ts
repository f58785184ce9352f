import { describe, expect, it } from '@jest/globals';
import { FakeClock } from '../testing/fake-clock.js';
import { cachedSecretReader } from './cached-secret-reader.js';
import { CREDENTIALS_SECRET_TYPE, type SecretContent, type SecretReader } from './secret-content.js';

function counting(content: () => SecretContent | undefined): SecretReader & { reads: number } {
  const reader = {
    reads: 0,
    read: () => {
      reader.reads++;
      return Promise.resolve(content());
    },
  };
  return reader;
}

describe('cachedSecretReader', () => {
  it('keeps a read for maxAgeMs, then reads again', async () => {
    const clock = new FakeClock();
    const inner = counting(() => ({ type: CREDENTIALS_SECRET_TYPE, data: { token: 't' } }));
    const reader = cachedSecretReader({ secrets: inner, clock });
    await reader.read('ns', 'a');
    await reader.read('ns', 'a');
    expect(inner.reads).toBe(1);
    clock.advance(30_000);
    await expect(reader.read('ns', 'a')).resolves.toEqual({ type: CREDENTIALS_SECRET_TYPE, data: { token: 't' } });
    expect(inner.reads).toBe(2);
  });

  it('keeps only the type of a Secret of another type, never its data', async () => {
    const reader = cachedSecretReader({ secrets: counting(() => ({ type: 'kubernetes.io/tls', data: { 'tls.key': 'KEY' } })), clock: new FakeClock() });
    await expect(reader.read('ns', 'tls')).resolves.toEqual({ type: 'kubernetes.io/tls', data: {} });
  });

  it('keeps no missing Secret and no failure', async () => {
    const now: { content?: SecretContent; fail?: boolean } = {};
    const inner = counting(() => {
      if (now.fail === true) throw new Error('reading Secret ns/a: HTTP 403: forbidden');
      return now.content;
    });
    const reader = cachedSecretReader({ secrets: { read: (ns, name) => Promise.resolve().then(() => inner.read(ns, name)) }, clock: new FakeClock() });
    await expect(reader.read('ns', 'a')).resolves.toBeUndefined();
    now.fail = true;
    await expect(reader.read('ns', 'a')).rejects.toThrow('HTTP 403');
    now.fail = false;
    now.content = { type: CREDENTIALS_SECRET_TYPE, data: { token: 't' } };
    await expect(reader.read('ns', 'a')).resolves.toEqual(now.content);
    expect(inner.reads).toBe(3);
  });
});
