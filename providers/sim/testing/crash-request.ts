import type { CreateRequest } from '../../types.js';
import { simCreateRequest } from './sim-request.js';

/** The request for machine `n` the crash-safety test and its child processes agree on. */
export function crashTestRequest(n: number): CreateRequest {
  return simCreateRequest(`m${n}`, { managedBy: 'crash-test', instanceType: 'sim.micro' });
}
