import { describe, expect, it } from '@jest/globals';
import { ApiException } from '@kubernetes/client-node';
import { AlreadyExistsError, ConflictError, GoneError, InvalidError, NotFoundError } from '../errors.js';
import { toStoreError } from './api-errors.js';

const key = { namespace: 'ns', name: 'workers' };
const failure = (code: number, status: object) => new ApiException(code, 'HTTP', JSON.stringify({ kind: 'Status', code, ...status }), {});

describe('toStoreError', () => {
  it.each([
    { code: 404, status: { reason: 'NotFound' }, type: NotFoundError },
    { code: 409, status: { reason: 'AlreadyExists' }, type: AlreadyExistsError },
    { code: 409, status: { reason: 'Conflict', message: 'the object has been modified' }, type: ConflictError },
    { code: 410, status: { reason: 'Expired' }, type: GoneError },
  ])('maps HTTP $code $status.reason', ({ code, status, type }) => {
    expect(toStoreError(failure(code, status), 'update', 'NodePool', key)).toBeInstanceOf(type);
  });

  it('maps 422 to Invalid with each cause under the field the API server names', () => {
    const error = toStoreError(
      failure(422, {
        reason: 'Invalid',
        message: 'NodePool "workers" is invalid',
        details: { causes: [{ field: 'spec.redundancy', message: 'should match' }, { field: 'spec.replicas', message: 'must be >= 0' }] },
      }),
      'create',
      'NodePool',
      key,
    );
    if (!(error instanceof InvalidError)) throw new Error(`not Invalid: ${error.message}`);
    expect(error.causes).toEqual([
      { path: 'spec.redundancy', message: 'should match' },
      { path: 'spec.replicas', message: 'must be >= 0' },
    ]);
  });

  it('names the call, the object and the answer for anything else', () => {
    const error = toStoreError(failure(500, { message: 'etcdserver: request timed out' }), 'update', 'Machine', key);
    expect(error.message).toBe('update Machine ns/workers: HTTP 500: etcdserver: request timed out');
    expect(toStoreError(new Error('connect ECONNREFUSED'), 'get', 'Machine', key).message).toBe('get Machine ns/workers: connect ECONNREFUSED');
  });
});
