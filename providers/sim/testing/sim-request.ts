import type { CreateRequest } from '../../types.js';

/** A create request the default sim catalogue accepts (na-east-a, sim.small, ubuntu-24.04), for tests. */
export function simCreateRequest(machineUid: string, over: Partial<CreateRequest> = {}): CreateRequest {
  return {
    machineUid,
    attempt: 1,
    managedBy: 'test',
    pool: 'workers',
    namespace: 'default',
    region: 'na-east',
    zone: 'na-east-a',
    instanceType: 'sim.small',
    image: 'sim-img-ubuntu-24.04-na-east',
    ...over,
  };
}
