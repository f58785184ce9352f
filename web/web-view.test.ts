import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Machine } from '../api/index.js';
import { eventually } from '../runtime/testing/async.js';
import { MemoryStore } from '../runtime/testing/memory-store.js';
import { testMachine, testNodePool, testStrategy } from '../runtime/testing/objects.js';
import type { AccessControl } from '../runtime/auth/index.js';
import type { Batch, Snapshot } from './fleet-feed.js';
import { connectSse, type SseClient } from './testing/sse-client.js';
import { CONTENT_SECURITY_POLICY, createWebView, type WebView } from './web-view.js';

describe('the web view handler', () => {
  let store: MemoryStore;
  let web: WebView;
  let server: Server;
  let base: string;
  const clients: SseClient[] = [];

  async function serve(options: { access?: AccessControl; retainChanges?: number } = {}): Promise<void> {
    web = createWebView({ store, batchMs: 20, ...options });
    server = createServer((req, res) => {
      void web.handle(req, res).then((answered) => {
        if (!answered) res.writeHead(404).end('not the web view\n');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function sse(lastEventId?: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = await connectSse(`${base}/ui/api/events`, lastEventId, headers);
    clients.push(client);
    return client;
  }

  beforeEach(async () => {
    store = new MemoryStore();
    await store.create(testStrategy('default', 's'));
    const pool = await store.create({ ...testNodePool('default', 'workers', 's'), kind: 'NodePool' });
    await store.create({ ...testMachine(pool, 'workers-a', 0), spec: { ...testMachine(pool, 'workers-a', 0).spec, userData: 'secret-join-token' } });
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    web.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function setPhase(name: string, phase: NonNullable<Machine['status']>['phase']): Promise<void> {
    const m = await store.get('Machine', { namespace: 'default', name });
    if (m === undefined) throw new Error(`no Machine ${name}`);
    await store.updateStatus({ ...m, kind: 'Machine', status: { ...m.status, phase } });
  }

  it('serves the pages with a CSP that allows no inline script or style, and leaves other paths to the host server', async () => {
    await serve();
    for (const path of ['/ui/', '/ui/pools/default/workers']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      const html = await res.text();
      expect(html).toMatch(/<script type="module" src="\/ui\/assets\/app.js"><\/script>/);
      expect(html).not.toMatch(/<script>|<style|\sstyle="|\son[a-z]+="/);
    }
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect((await fetch(`${base}/ui/assets/app.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${base}/ui/assets/..%2fweb-view.ts`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    expect(await (await fetch(`${base}/metrics`)).text()).toBe('not the web view\n');
  });

  it('answers a JSON snapshot: pools with their conditions in words, Machines without their user data', async () => {
    await serve();
    const pool = await store.get('NodePool', { namespace: 'default', name: 'workers' });
    if (pool === undefined) throw new Error('no pool');
    const lastTransitionTime = '2026-01-01T00:00:00Z';
    await store.updateStatus({ ...pool, kind: 'NodePool', status: { conditions: [{ type: 'BudgetExceeded', status: 'True', reason: 'BudgetExceeded', message: 'slot 3 would cost $0.50/h', lastTransitionTime }] } });
    const res = await fetch(`${base}/ui/api/snapshot`);
    const text = await res.text();
    expect(text).not.toContain('secret-join-token');
    const snapshot = JSON.parse(text) as Snapshot;
    expect(snapshot.machines.map((m) => [m.name, m.phase])).toEqual([['workers-a', 'Pending']]);
    expect(snapshot.pools[0]?.conditions[0]?.words).toBe(
      "Over budget: a Machine was not created because it would cost more than the Strategy's maxHourlyTotal (slot 3 would cost $0.50/h).",
    );
  });

  it('streams changes in batches with ids; a reconnect with Last-Event-ID gets exactly what it missed', async () => {
    await serve();
    const first = await sse();
    await eventually(() => first.messages.length === 1, 'the first message');
    expect(first.messages[0]?.event).toBe('snapshot');
    await setPhase('workers-a', 'Provisioning');
    await setPhase('workers-a', 'Running');
    await eventually(() => first.messages.length === 2, 'a batch');
    const batch = first.messages[1]?.data as Batch;
    // Two changes within the batch window: one message, both changes in order (a brief Failed is never lost).
    expect(batch.changes.map((c) => (c.op === 'put' && c.kind === 'machine' ? `${c.key} ${c.value.phase}` : c.op))).toEqual(['default/workers-a Provisioning', 'default/workers-a Running']);
    const seen = first.messages[1]?.id ?? '';
    first.close();

    await setPhase('workers-a', 'Failed');
    await store.delete('Machine', { namespace: 'default', name: 'workers-a' });
    const pool = await store.get('NodePool', { namespace: 'default', name: 'workers' });
    if (pool === undefined) throw new Error('no pool');
    await store.create(testMachine(pool, 'workers-b', 0));
    const second = await sse(seen);
    await eventually(() => second.messages.length === 1, 'the missed changes');
    expect(second.messages[0]?.event).toBe('changes');
    expect((second.messages[0]?.data as Batch).changes.map((c) => `${c.op} ${c.key}`)).toEqual(['put default/workers-a', 'delete default/workers-a', 'put default/workers-b']);
  });

  it('sends a fresh snapshot when the id is older than the kept changes, or from before a restart', async () => {
    await serve({ retainChanges: 2 });
    const first = await sse();
    await eventually(() => first.messages.length === 1, 'the snapshot');
    const old = first.messages[0]?.id ?? '';
    for (const phase of ['Provisioning', 'Running', 'Failed'] as const) {
      await setPhase('workers-a', phase);
      await eventually(() => first.messages.at(-1)?.data !== undefined && JSON.stringify(first.messages.at(-1)?.data).includes(phase), `the ${phase} batch`);
    }
    for (const id of [old, 'otherepoch-3']) {
      const again = await sse(id);
      await eventually(() => again.messages.length === 1, 'the snapshot');
      expect(again.messages[0]?.event).toBe('snapshot');
      expect((again.messages[0]?.data as Snapshot).machines.map((m) => m.phase)).toEqual(['Failed']);
    }
  });

  it('asks the host server\'s access control for data, never for the page\'s files, and shows only the namespaces it allows', async () => {
    // RBAC as a function: list in team-a only (the real API server decides in test/integration/web-actions-kube.test.ts).
    const access: AccessControl = {
      scheme: 'Authorization: Bearer good',
      authenticate: (authorization) => Promise.resolve(authorization === 'Bearer good' ? { kind: 'ok', caller: { user: 'alice', groups: [] } } : { kind: 'unauthenticated', reason: 'no valid token' }),
      allowed: (_caller, attributes) => Promise.resolve(attributes.namespace === 'team-a'),
    };
    await store.create(testNodePool('team-a', 'web', 's'));
    await serve({ access });
    expect((await fetch(`${base}/ui/`)).status).toBe(200);
    const denied = await fetch(`${base}/ui/api/snapshot`);
    expect([denied.status, denied.headers.get('www-authenticate'), denied.headers.get('content-type')]).toEqual([401, 'Bearer realm="polyfleet"', 'application/problem+json']);
    const snapshot = (await (await fetch(`${base}/ui/api/snapshot`, { headers: { Authorization: 'Bearer good' } })).json()) as Snapshot;
    expect(snapshot.pools.map((p) => `${p.namespace}/${p.name}`)).toEqual(['team-a/web']);
    expect(snapshot.machines).toEqual([]);
    // The stream too: a change in a namespace the caller may not read never reaches it.
    const stream = await sse(undefined, { Authorization: 'Bearer good' });
    await eventually(() => stream.messages.length === 1, 'the snapshot');
    await setPhase('workers-a', 'Running');
    const web = await store.get('NodePool', { namespace: 'team-a', name: 'web' });
    if (web === undefined) throw new Error('no pool team-a/web');
    await store.create(testMachine(web, 'web-a'));
    await eventually(() => stream.messages.length === 2, 'the team-a change');
    expect((stream.messages[1]?.data as Batch).changes.map((c) => c.key)).toEqual(['team-a/web-a']);
  });
});
