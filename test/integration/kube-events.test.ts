// Events on the real API server: repeats of one failure become one Event with a count.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { NodePool } from '../../api/index.js';
import { DedupingRecorder, KubeEventSink, KubeEventsClient, REPORTING_CONTROLLER, type EventInput, type EventRegarding } from '../../runtime/events/index.js';
import { KubeStore } from '../../runtime/store/kube/index.js';
import { applyCrds, createNamespace, eventually, loadKubeConfig } from './cluster.js';
import { kubectlOk } from './kubectl.js';

const kubeConfig = loadKubeConfig();
let namespace: string;
let regarding: EventRegarding;

interface KubeEvent {
  reason: string;
  note: string;
  type: string;
  reportingController: string;
  regarding: { kind: string; name: string; uid: string };
  series?: { count: number };
}

async function eventsIn(ns: string): Promise<KubeEvent[]> {
  return (JSON.parse(await kubectlOk(['get', 'events.events.k8s.io', '-n', ns, '-o', 'json'])) as { items: KubeEvent[] }).items;
}

beforeAll(async () => {
  await applyCrds();
  namespace = await createNamespace(kubeConfig, 'events');
  const store = new KubeStore({ kubeConfig, logger: pino({ level: 'warn' }) });
  const pool: NodePool = {
    apiVersion: 'polyfleet.io/v1alpha1',
    kind: 'NodePool',
    metadata: { name: 'workers', namespace },
    spec: { replicas: 1, redundancy: '1:1', strategyRef: { name: 'cheap' }, template: {}, disruption: { maxUnavailable: 1 }, readyTimeoutSeconds: 900, remediation: { maxUnhealthy: '40%', windowSeconds: 600 }, dryRun: false, paused: false },
  };
  const created = await store.create(pool);
  await store.close();
  regarding = { kind: 'NodePool', namespace, name: 'workers', uid: created.metadata.uid ?? '' };
}, 90_000);

describe('Events on the real API server', () => {
  it('20 identical Warnings through the sink: one Event whose series counts them, shown by kubectl', async () => {
    const sink = new KubeEventSink({ client: new KubeEventsClient(kubeConfig), reportingInstance: 'test-instance' });
    const warning: EventInput = { type: 'Warning', reason: 'LaunchFailed', action: 'Create', message: 'no capacity for s1 in r1a' };
    for (let i = 0; i < 20; i++) await sink.write(regarding, warning, new Date());

    const events = (await eventsIn(namespace)).filter((e) => e.reason === 'LaunchFailed');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'Warning',
      note: 'no capacity for s1 in r1a',
      reportingController: REPORTING_CONTROLLER,
      regarding: { kind: 'NodePool', name: 'workers', uid: regarding.uid },
      series: { count: 20 },
    });
    const table = await kubectlOk(['get', 'events', '-n', namespace]);
    expect(table.split('\n').filter((l) => l.includes('LaunchFailed'))).toHaveLength(1);
    expect(table).toContain('nodepool/workers');

    const stored = await sink.list(regarding);
    expect(stored.filter((e) => e.reason === 'LaunchFailed').map((e) => e.count)).toEqual([20]);
  });

  it('20 identical Warnings through the recorder: the repeats are dropped before the API server', async () => {
    const sink = new KubeEventSink({ client: new KubeEventsClient(kubeConfig), reportingInstance: 'test-instance' });
    const recorder = new DedupingRecorder({ sink, logger: pino({ level: 'warn' }) });
    for (let i = 0; i < 20; i++) recorder.record(regarding, { type: 'Warning', reason: 'QuotaExceeded', action: 'Create', message: 'vCPU quota' });
    const events = await eventually(
      async () => (await eventsIn(namespace)).filter((e) => e.reason === 'QuotaExceeded'),
      (es) => es.length > 0,
      'the recorded Event',
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.series).toBeUndefined();
  });
});
