import { describe, expect, it } from '@jest/globals';
import { MemoryStore } from '../testing/memory-store.js';
import { testStrategy } from '../testing/objects.js';
import { instrumentStore } from './instrumented-store.js';
import { createMetrics } from './metrics.js';

const strategy = testStrategy('default', 'cheap');

describe('createMetrics', () => {
  it('keeps each manager in a registry of its own', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.reconciles('nodepool').reconciled('success', 0.2);
    expect(await a.registry.metrics()).toContain('controller_runtime_reconcile_total{controller="nodepool",result="success"} 1');
    expect(await b.registry.metrics()).not.toContain('controller="nodepool"');
  });

  it('exposes workqueue and reconcile series under controller-runtime names, zero before anything happens', async () => {
    const metrics = createMetrics();
    const queue = metrics.queue('machine');
    metrics.reconciles('machine');
    const quiet = await metrics.registry.metrics();
    expect(quiet).toContain('workqueue_adds_total{name="machine",controller="machine"} 0');
    expect(quiet).toContain('controller_runtime_reconcile_total{controller="machine",result="requeue_after"} 0');
    queue.added();
    queue.depth(3);
    queue.retried();
    queue.waited(0.5);
    queue.worked(2);
    const text = await metrics.registry.metrics();
    expect(text).toContain('workqueue_adds_total{name="machine",controller="machine"} 1');
    expect(text).toContain('workqueue_depth{name="machine",controller="machine"} 3');
    expect(text).toContain('workqueue_retries_total{name="machine",controller="machine"} 1');
    expect(text).toContain('workqueue_queue_duration_seconds_count{name="machine",controller="machine"} 1');
    expect(text).toContain('workqueue_work_duration_seconds_sum{name="machine",controller="machine"} 2');
  });

  it('counts errors in reconcile_errors_total as well as reconcile_total{result="error"}', async () => {
    const metrics = createMetrics();
    const reconciles = metrics.reconciles('nodepool');
    reconciles.reconciled('error', 0.1);
    reconciles.reconciled('error', 0.1);
    reconciles.terminalError();
    reconciles.reconciled('requeue_after', 0.1);
    const text = await metrics.registry.metrics();
    expect(text).toContain('controller_runtime_reconcile_total{controller="nodepool",result="error"} 2');
    expect(text).toContain('controller_runtime_reconcile_errors_total{controller="nodepool"} 2');
    expect(text).toContain('controller_runtime_terminal_reconcile_errors_total{controller="nodepool"} 1');
    expect(text).toContain('controller_runtime_reconcile_time_seconds_count{controller="nodepool"} 3');
  });
});

describe('provider metrics', () => {
  it('count every request attempt by cloud, op and code and time it by cloud and op', async () => {
    const metrics = createMetrics();
    metrics.providers.request({ provider: 'aws', account: 'aws-east', op: 'create', code: 'throttled', seconds: 0.03 });
    metrics.providers.request({ provider: 'aws', account: 'aws-east', op: 'create', code: 'ok', seconds: 0.2 });
    metrics.providers.request({ provider: 'aws', account: 'aws-west', op: 'create', code: 'ok', seconds: 0.1 });
    const text = await metrics.registry.metrics();
    expect(text).toContain('polyfleet_provider_requests_total{provider="aws",op="create",code="throttled"} 1');
    expect(text).toContain('polyfleet_provider_requests_total{provider="aws",op="create",code="ok"} 2');
    expect(text).toContain('polyfleet_provider_request_duration_seconds_count{provider="aws",op="create"} 3');
    expect(text).toContain('polyfleet_provider_request_duration_seconds_bucket{le="0.05",provider="aws",op="create"} 1');
    expect(text).not.toContain('aws-east');
  });
});

describe('provider rate-limit metrics', () => {
  it('records each token taken by cloud, account and kind, waits of 0 included', async () => {
    const metrics = createMetrics();
    metrics.providers.rateLimitWait({ provider: 'digitalocean', account: 'do-ams', kind: 'read', seconds: 0 });
    metrics.providers.rateLimitWait({ provider: 'digitalocean', account: 'do-ams', kind: 'read', seconds: 42 });
    metrics.providers.rateLimitWait({ provider: 'digitalocean', account: 'do-ams', kind: 'write', seconds: 0 });
    const text = await metrics.registry.metrics();
    expect(text).toContain('polyfleet_provider_rate_limit_wait_seconds_count{provider="digitalocean",account="do-ams",kind="read"} 2');
    expect(text).toContain('polyfleet_provider_rate_limit_wait_seconds_bucket{le="0",provider="digitalocean",account="do-ams",kind="read"} 1');
    expect(text).toContain('polyfleet_provider_rate_limit_wait_seconds_sum{provider="digitalocean",account="do-ams",kind="write"} 0');
  });
});

describe('instrumentStore', () => {
  it('counts every store call by backend, verb, kind and outcome code, and passes errors through', async () => {
    const metrics = createMetrics();
    const store = instrumentStore(new MemoryStore(), 'memory', metrics.store);
    await store.create(strategy);
    await expect(store.create(strategy)).rejects.toThrow(/already exists/);
    await store.get('Strategy', { namespace: 'default', name: 'cheap' });
    await store.list('Strategy');
    store.watch('Strategy', () => {}).stop();
    await expect(store.delete('NodePool', { namespace: 'default', name: 'nope' })).rejects.toThrow(/not found/);
    const text = await metrics.registry.metrics();
    const series = (verb: string, kind: string, code: string) =>
      `polyfleet_store_requests_total{backend="memory",verb="${verb}",kind="${kind}",code="${code}"} 1`;
    for (const line of [
      series('create', 'Strategy', 'OK'),
      series('create', 'Strategy', 'AlreadyExists'),
      series('get', 'Strategy', 'OK'),
      series('list', 'Strategy', 'OK'),
      series('watch', 'Strategy', 'OK'),
      series('delete', 'NodePool', 'NotFound'),
    ]) {
      expect(text).toContain(line);
    }
  });
});

describe('unreadable objects', () => {
  it('counts, per kind, what each tracked store cannot read, at every scrape', async () => {
    const metrics = createMetrics();
    const store = new MemoryStore();
    metrics.unreadableObjects.track(instrumentStore(store, 'memory', metrics.store));
    expect(await metrics.registry.metrics()).toContain('polyfleet_store_unreadable_objects{kind="Machine"} 0');
    store.markUnreadable('Machine', [{ namespace: 'a', name: 'm1', problem: 'status.phase: bad' }, { namespace: 'b', name: 'm2', problem: 'spec.slot: bad' }]);
    const text = await metrics.registry.metrics();
    expect(text).toContain('polyfleet_store_unreadable_objects{kind="Machine"} 2');
    expect(text).toContain('polyfleet_store_unreadable_objects{kind="NodePool"} 0');
  });
});
