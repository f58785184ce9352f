import { describe, expect, it } from '@jest/globals';
import { endpointAllowed, parseAllowedEndpoint } from './credentials-endpoints.js';

describe('parseAllowedEndpoint', () => {
  it.each([
    { text: '127.0.0.1', value: { host: '127.0.0.1' } },
    { text: 'EC2.Internal.Example', value: { host: 'ec2.internal.example' } },
    { text: 'ec2.internal.example:8443', value: { host: 'ec2.internal.example', port: 8443 } },
    { text: 'localhost:80', value: { host: 'localhost', port: 80 } },
    { text: '[::1]', value: { host: '[::1]' } },
    { text: '[::1]:5000', value: { host: '[::1]', port: 5000 } },
  ])('reads $text', ({ text, value }) => {
    expect(parseAllowedEndpoint(text)).toEqual({ kind: 'ok', value });
  });

  it.each(['', 'http://127.0.0.1', '127.0.0.1/v2', 'user@host', 'host:', 'host:0', 'host:70000', 'a b', '::1'])('refuses %j, saying what to give', (text) => {
    const parsed = parseAllowedEndpoint(text);
    expect(parsed.kind).toBe('invalid');
    if (parsed.kind === 'invalid') expect(parsed.message).toContain('give the host of the endpoint URL');
  });

  it('matches what it parsed against an endpoint URL the way the account spells it', () => {
    const parsed = parseAllowedEndpoint('[::1]:5000');
    if (parsed.kind !== 'ok') throw new Error(parsed.message);
    expect(endpointAllowed([parsed.value], 'http://[::1]:5000/v2')).toBe(true);
    expect(endpointAllowed([parsed.value], 'http://[::1]:5001')).toBe(false);
    expect(endpointAllowed([parsed.value], 'not a url')).toBe(false);
  });
});
