import { describe, expect, it } from '@jest/globals';
import { clientToken } from './client-token.js';

const req = { machineUid: '3f6c1a52-8c1e-4b8e-9d0e-2b7f2f3c9a41', attempt: 1, region: 'us-east-1', zone: 'us-east-1a', instanceType: 't3.micro', image: 'ami-0f00000000024041a' };

describe('clientToken', () => {
  it('is the same for the same create, in at most 64 ASCII characters (EC2 limit)', () => {
    expect(clientToken(req)).toBe(clientToken({ ...req }));
    expect(clientToken(req)).toMatch(/^[\x21-\x7e]{1,64}$/);
    expect(clientToken({ ...req, machineUid: 'x'.repeat(500) })).toHaveLength(clientToken(req).length);
  });

  it.each([
    { change: 'attempt', over: { attempt: 2 } },
    { change: 'machine', over: { machineUid: '3f6c1a52-8c1e-4b8e-9d0e-2b7f2f3c9a42' } },
    { change: 'region', over: { region: 'us-east-2' } },
    { change: 'zone (a fallback after InsufficientInstanceCapacity)', over: { zone: 'us-east-1b' } },
    { change: 'instance type', over: { instanceType: 't3.small' } },
    { change: 'image', over: { image: 'ami-0f00000000024040a' } },
  ])('changes with the $change, so EC2 never answers IdempotentParameterMismatch for a different request', ({ over }) => {
    expect(clientToken({ ...req, ...over })).not.toBe(clientToken(req));
  });

  it('cannot be collided by moving characters between fields', () => {
    expect(clientToken({ ...req, machineUid: 'a-1', attempt: 1 })).not.toBe(clientToken({ ...req, machineUid: 'a', attempt: 11 }));
  });
});
