import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import type { Kind } from '../../api/index.js';
import { managerFixture, NS } from '../manager/fixture.js';
import { createMetrics, instrumentStore } from '../metrics/index.js';
import type { Watch, WatchEvent } from '../store/index.js';
import { deferred, eventually } from '../testing/async.js';
import { capturingLogger } from '../testing/log-capture.js';
import { testNodePool } from '../testing/objects.js';
import { startProbeServer } from './probe-server.js';

async function fetchText(url: string, init?: RequestInit): Promise<{ status: number; body: string; contentType: string | null }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.text(), contentType: res.headers.get('content-type') };
}

describe('probe server', () => {
  it('binds 127.0.0.1 on an ephemeral port by request, answers 404 and 405 helpfully, and closes', async () => {
    const { log } = capturingLogger();
    const server = await startProbeServer({ port: 0, readiness: () => [{ name: 'x', ok: true }], registry: new Registry(), log });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
    expect(await fetchText(`${server.url}/nope`)).toMatchObject({ status: 404, body: expect.stringContaining('/healthz') });
    expect((await fetchText(`${server.url}/healthz`, { method: 'POST' })).status).toBe(405);
    await server.close();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('names the address when the port is taken', async () => {
    const { log } = capturingLogger();
    const first = await startProbeServer({ port: 0, readiness: () => [], registry: new Registry(), log });
    await expect(startProbeServer({ port: first.port, readiness: () => [], registry: new Registry(), log })).rejects.toThrow(
      `cannot serve probes and metrics on 127.0.0.1:${first.port}`,
    );
    await first.close();
  });
});

describe('manager probes and metrics over HTTP', () => {
  it('healthz 200 throughout; readyz 503 before start and while syncing, 200 once caches synced', async () => {
    const fx = managerFixture();
    const gate = deferred();
    const watch = fx.store.watch.bind(fx.store);
    fx.store.watch = <K extends Kind>(kind: K, handler: (e: WatchEvent<K>) => void): Watch => ({ ...watch(kind, handler), synced: gate.promise });
    fx.manager.register({ name: 'nodepool', kind: 'NodePool', reconcile: () => Promise.resolve({}) });
    const server = await fx.manager.listen({ port: 0 });
    expect(await fetchText(`${server.url}/healthz`)).toMatchObject({ status: 200, body: 'ok\n' });
    const before = await fetchText(`${server.url}/readyz`);
    expect(before.status).toBe(503);
    expect(before.body).toContain('[-]manager failed: manager is new');
    const starting = fx.manager.start();
    const syncing = await fetchText(`${server.url}/readyz`);
    expect(syncing.status).toBe(503);
    expect(syncing.body).toContain('[-]caches-synced failed: waiting for watches of NodePool');
    gate.resolve();
    await starting;
    const ready = await fetchText(`${server.url}/readyz`);
    expect(ready).toMatchObject({ status: 200, body: '[+]manager ok\n[+]caches-synced ok\nreadyz check passed\n' });
    expect(await fetchText(`${server.url}/healthz`)).toMatchObject({ status: 200 });
    await fx.manager.stop();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('serves controller-runtime metric names with their labels after some reconciles', async () => {
    const metrics = createMetrics();
    const fx = managerFixture({ metrics });
    const store = instrumentStore(fx.store, 'memory', metrics.store);
    let failedOnce = false;
    const done: string[] = [];
    fx.manager.register({
      name: 'nodepool',
      kind: 'NodePool',
      reconcile: async (_ctx, key) => {
        await store.get('NodePool', key);
        if (key.name === 'flaky' && !failedOnce) {
          failedOnce = true;
          throw new Error('provider timed out');
        }
        done.push(key.name);
        return key.name === 'waiting' ? { requeueAfterMs: 60_000 } : {};
      },
    });
    for (const name of ['steady', 'flaky', 'waiting']) await fx.store.create(testNodePool(NS, name, 's'));
    const server = await fx.manager.listen({ port: 0 });
    await fx.manager.start();
    await eventually(() => failedOnce && done.length === 2, 'the first round of reconciles');
    fx.clock.advance(5);
    await eventually(() => done.includes('flaky'), 'the retry');
    const scrape = await fetchText(`${server.url}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.contentType).toContain('text/plain');
    const labels = 'name="nodepool",controller="nodepool"';
    for (const line of [
      `workqueue_depth{${labels}} 0`,
      `workqueue_adds_total{${labels}} 4`,
      `workqueue_retries_total{${labels}} 1`,
      `workqueue_queue_duration_seconds_count{${labels}} 4`,
      `workqueue_work_duration_seconds_count{${labels}} 4`,
      'controller_runtime_reconcile_total{controller="nodepool",result="success"} 2',
      'controller_runtime_reconcile_total{controller="nodepool",result="error"} 1',
      'controller_runtime_reconcile_total{controller="nodepool",result="requeue_after"} 1',
      'controller_runtime_reconcile_errors_total{controller="nodepool"} 1',
      'controller_runtime_reconcile_time_seconds_count{controller="nodepool"} 4',
      'controller_runtime_max_concurrent_reconciles{controller="nodepool"} 1',
      'polyfleet_store_requests_total{backend="memory",verb="get",kind="NodePool",code="OK"} 4',
    ]) {
      expect(scrape.body).toContain(line);
    }
    await fx.manager.stop();
  });
});
