import type { Instance as Ec2Instance, InstanceStateName } from '@aws-sdk/client-ec2';
import { describe, expect, it } from '@jest/globals';
import { toInstance } from './instances.js';

const ctx = { account: 'aws-east', region: 'us-east-1', spotPriceOf: (type: string, zone: string) => (type === 't3.micro' && zone === 'us-east-1a' ? '0.0031' : '0'), priceOf: () => '0.0104' };
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

  it("sees a spot instance as spot at its zone's spot price, and one EC2 interrupted as reclaimed (moto never interrupts one, so this is EC2's documented shape)", () => {
    expect(toInstance(ec2('running', { InstanceLifecycle: 'spot' }), ctx)).toMatchObject({ capacityType: 'spot', hourlyPrice: '0.0031' });
    const interrupted = toInstance(
      ec2('terminated', { InstanceLifecycle: 'spot', StateReason: { Code: 'Server.SpotInstanceTermination', Message: 'Server.SpotInstanceTermination: Spot instance termination' } }),
      ctx,
    );
    expect(interrupted).toMatchObject({ state: 'terminated', reclaimed: true, stateReason: 'Server.SpotInstanceTermination: Spot instance termination' });
    expect(toInstance(ec2('terminated', { StateReason: { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' } }), ctx)?.reclaimed).toBeUndefined();
    expect(toInstance(ec2('running'), ctx)).toMatchObject({ hourlyPrice: '0.0104' });
    expect(toInstance(ec2('running'), ctx)?.capacityType).toBeUndefined();
  });
});
