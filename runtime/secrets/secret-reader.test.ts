import { describe, expect, it } from '@jest/globals';
import { decodeSecretData } from './secret-content.js';

describe('decodeSecretData', () => {
  it('decodes base64 values to strings, keeping multi-line JSON keys whole', () => {
    const key = '{\n  "type": "service_account",\n  "project_id": "p-123456"\n}\n';
    const data = { token: Buffer.from('dop_v1_abc').toString('base64'), serviceAccountKey: Buffer.from(key).toString('base64') };
    expect(decodeSecretData(data)).toEqual({ token: 'dop_v1_abc', serviceAccountKey: key });
  });

  it('reads a Secret without data as empty', () => {
    expect(decodeSecretData(undefined)).toEqual({});
  });
});
