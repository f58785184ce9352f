import { describe, expect, it } from '@jest/globals';
import type { Machine, MachineStatus, NodePool } from '../../api/index.js';
import { testMachine, testNodePool } from '../../runtime/testing/objects.js';
import { poolDeletedLine, poolProgressLine } from './pool-progress.js';

const pool = (patch: Partial<NodePool> = {}): NodePool => {
  const p = testNodePool('default', 'workers', 'cheap');
  return { ...p, spec: { ...p.spec, replicas: 6, redundancy: '+1' }, ...patch };
};
const machine = (name: string, phase: MachineStatus['phase'] | undefined): Machine => {
  const m = testMachine(pool(), name);
  return phase === undefined ? m : { ...m, status: { phase } };
};

describe('poolProgressLine', () => {
  it.each([
    { name: 'a new pool: desired from the spec', pool: pool(), machines: [], line: 'workers: 0/7 running' },
    {
      name: 'machines coming up, in lifecycle order',
      pool: pool(),
      machines: [machine('a', 'Running'), machine('b', 'Provisioning'), machine('c', undefined), machine('d', 'Failed'), machine('e', 'Provisioning')],
      line: 'workers: 1/7 running (1 Pending, 2 Provisioning, 1 Failed)',
    },
    {
      name: 'status: desired, cost and the Ready condition',
      pool: pool({ status: { desiredReplicas: 7, hourlyCost: '0.35', conditions: [{ type: 'Ready', status: 'True', reason: 'AllReady', message: '', lastTransitionTime: '2026-01-01T00:00:00Z' }] } }),
      machines: Array.from({ length: 7 }, (_, i) => machine(`m${i}`, 'Running')),
      line: 'workers: 7/7 running · $0.35/h · Ready',
    },
    {
      name: 'not ready: the reason',
      pool: pool({ status: { conditions: [{ type: 'Ready', status: 'False', reason: 'BudgetExceeded', message: '', lastTransitionTime: '2026-01-01T00:00:00Z' }] } }),
      machines: [],
      line: 'workers: 0/7 running · BudgetExceeded',
    },
    {
      name: 'deleting',
      pool: pool({ metadata: { name: 'workers', namespace: 'default', deletionTimestamp: '2026-01-01T00:00:00Z' } }),
      machines: [machine('a', 'Running')],
      line: 'workers: deleting, 1 machine left',
    },
    { name: 'another namespace is named', pool: pool({ metadata: { name: 'workers', namespace: 'team-a' } }), machines: [], line: 'team-a/workers: 0/7 running' },
  ])('$name', ({ pool: p, machines, line }) => {
    expect(poolProgressLine(p, machines)).toBe(line);
  });

  it('says when a pool is gone', () => {
    expect(poolDeletedLine('default', 'workers')).toBe('workers: deleted');
  });
});
