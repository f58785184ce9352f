import type { Instance as Ec2Instance, InstanceStateName } from '@aws-sdk/client-ec2';
import { describe, expect, it } from '@jest/globals';
import { toInstance } from './instances.js';

const ctx = { account: 'aws-east', region: 'us-east-1', priceOf: () => '0.0104' };
const ec2 = (state: InstanceStateName, over: Partial<Ec2Instance> = {}): Ec2Instance => ({
  InstanceId: 'i-0123456789abcdef0',
  InstanceType: 't3.micro',
  State: { Name: state },
  Placement: { AvailabilityZone: 'us-east-1a' },
  ...over,
});

describe('toInstance (EC2 instance → ours)', () => {
  it.each([
    ['pending', 'pending'],
    ['running', 'running'],
    ['shutting-down', 'terminating'],
    ['stopping', 'stopping'],
    ['stopped', 'stopped'],
    ['terminated', 'terminated'],
  ] as const)('maps EC2 %s to %s', (state, ours) => {
    expect(toInstance(ec2(state), ctx)?.state).toBe(ours);
  });

  it('says why an instance stopped, without the time EC2 stamps on it', () => {
    expect(toInstance(ec2('stopped', { StateTransitionReason: 'User initiated (2026-01-01 10:00:00 GMT)' }), ctx)?.stateReason).toBe('User initiated');
    expect(toInstance(ec2('stopped', { StateReason: { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' } }), ctx)?.stateReason).toBe(
      'Client.UserInitiatedShutdown: User initiated shutdown',
    );
    expect(toInstance(ec2('running', { StateTransitionReason: '' }), ctx)?.stateReason).toBeUndefined();
  });
});
