import type { CreateRequest } from '../../types.js';

/** The request for machine `n` the crash-safety test and its child processes agree on. */
export function crashTestRequest(n: number): CreateRequest {
  return {
    machineUid: `m${n}`,
    attempt: 1,
    managedBy: 'crash-test',
    pool: 'workers',
    namespace: 'default',
    region: 'na-east',
    zone: 'na-east-a',
    instanceType: 'sim.micro',
    image: 'sim-img-ubuntu-24.04-na-east',
  };
}
