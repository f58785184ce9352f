import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventSink } from '../runtime/events/index.js';
import type { Store } from '../runtime/store/index.js';
import { allowAll, namespaceFilter, type WebAuthorizer } from './access.js';
import { FleetFeed, type Batch, type Change, type Snapshot } from './fleet-feed.js';
import { openEventStream } from './sse.js';
import { loadAssets, staticDir, type StaticAsset } from './static-assets.js';

/** Where the web view lives on the server it is mounted on. */
export const WEB_BASE = '/ui/';

/** The page's files; index.html is the answer to every page path, the scripts route by the path. */
export const ASSETS = [
  'index.html',
  'app.js',
  'live.js',
  'format.js',
  'overview.js',
  'pool-page.js',
  'virtual-table.js',
  'dry-run-plan.js',
  'placement-tree.js',
  'machine-detail.js',
  'strategy-funnel.js',
  'progress-eta.js',
  'cost-chart.js',
  'inventory-page.js',
  'style.css',
] as const;

/** No inline script or style, nothing from elsewhere: the page works offline and an injected tag does nothing. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export interface WebViewOptions {
  readonly store: Store;
  /** The pool's events (the state file's, or the cluster's events.k8s.io). */
  readonly events?: Pick<EventSink, 'list'>;
  /** Decides every data request; default: everyone who reaches the address (loopback only). */
  readonly authorize?: WebAuthorizer;
  readonly batchMs?: number;
  readonly retainChanges?: number;
}

export interface WebView {
  /** Answers a request under /ui/ (and / by a redirect there); false: not ours, for the server's other routes. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Stops the store's watches; open event streams end with the server's connections. */
  close(): void;
}

/**
 * The live web view of the fleet: its pages, a JSON snapshot (/ui/api/snapshot), the changes as
 * Server-Sent Events (/ui/api/events, resumable with Last-Event-ID) and a pool's events
 * (/ui/api/pools/NS/NAME/events). Mountable on any node:http server; `authorize` is the host's.
 */
export function createWebView(options: WebViewOptions): WebView {
  const feed = new FleetFeed({ store: options.store, ...pick(options, 'batchMs', 'retainChanges') });
  const assets = loadAssets(staticDir(), ASSETS);
  const authorize = options.authorize ?? allowAll;
  return {
    async handle(req, res) {
      const path = new URL(req.url ?? '/', 'http://web').pathname;
      if (path === '/' || path === WEB_BASE.slice(0, -1)) return redirect(res, WEB_BASE);
      if (!path.startsWith(WEB_BASE)) return false;
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'the web view is read-only (GET)\n', { Allow: 'GET, HEAD' });
      const rest = path.slice(WEB_BASE.length);
      if (rest.startsWith('assets/')) return sendAsset(res, assets.get(rest.slice('assets/'.length)));
      if (!rest.startsWith('api/')) return isPage(rest) ? sendAsset(res, assets.get('index.html')) : send(res, 404, 'text/plain; charset=utf-8', `no page ${path}\n`);
      const access = await authorize(req);
      if (access.kind === 'denied') return send(res, access.status, 'text/plain; charset=utf-8', `${access.detail}\n`, access.headers);
      const visible = namespaceFilter(access.canRead);
      await feed.ready;
      const api = rest.slice('api/'.length);
      if (api === 'snapshot') return send(res, 200, 'application/json', JSON.stringify(await visibleSnapshot(feed.snapshot(), visible)));
      if (api === 'events') return streamChanges(req, res, feed, visible);
      const pool = /^pools\/([^/]+)\/([^/]+)\/events$/.exec(api);
      if (pool !== null) return sendPoolEvents(res, options.events, decodeURIComponent(pool[1] ?? ''), decodeURIComponent(pool[2] ?? ''), visible);
      return send(res, 404, 'text/plain; charset=utf-8', `no such path ${path}; try ${WEB_BASE}api/snapshot or ${WEB_BASE}api/events\n`);
    },
    close() {
      feed.close();
    },
  };
}

/** The overview (""), a pool's page ("pools/NS/NAME") and the inventory ("inventory"). */
function isPage(rest: string): boolean {
  return rest === '' || rest === 'inventory' || /^pools\/[^/]+\/[^/]+$/.test(rest);
}

type Visible = ReturnType<typeof namespaceFilter>;

async function streamChanges(req: IncomingMessage, res: ServerResponse, feed: FleetFeed, visible: Visible): Promise<true> {
  const stream = openEventStream(res, SECURITY_HEADERS);
  const lastEventId = header(req, 'last-event-id') ?? new URL(req.url ?? '/', 'http://web').searchParams.get('lastEventId') ?? undefined;
  const resume = feed.resume(lastEventId);
  // Messages go out in order though deciding a new namespace takes a moment: one chain per stream.
  let sending = Promise.resolve();
  const enqueue = (send: () => Promise<void>) => {
    sending = sending.then(send).catch(() => {
      // A failed authorization check: end the stream; the browser reconnects and is asked again.
      res.destroy();
    });
  };
  const sendBatch = async (batch: Batch) => {
    const changes = await visible(batch.changes, namespaceOf);
    if (changes.length > 0) stream.send('changes', batch.id, { changes });
  };
  // Subscribed in the same turn as the resume was computed: no batch falls between the two.
  const unsubscribe = feed.subscribe((batch) => {
    enqueue(() => sendBatch(batch));
  });
  if (resume.kind === 'snapshot') {
    const { snapshot } = resume;
    enqueue(async () => {
      stream.send('snapshot', snapshot.id, await visibleSnapshot(snapshot, visible));
    });
  } else if (resume.batch !== undefined) {
    const { batch } = resume;
    enqueue(() => sendBatch(batch));
  }
  await stream.closed;
  unsubscribe();
  return true;
}

async function sendPoolEvents(res: ServerResponse, events: WebViewOptions['events'], namespace: string, name: string, visible: Visible): Promise<true> {
  if ((await visible([namespace], (ns) => ns)).length === 0) return send(res, 403, 'text/plain; charset=utf-8', `you may not read the namespace ${namespace}\n`);
  const list = events === undefined ? [] : await events.list({ kind: 'NodePool', namespace, name });
  return send(res, 200, 'application/json', JSON.stringify({ events: list }));
}

async function visibleSnapshot(s: Snapshot, visible: Visible): Promise<Snapshot> {
  return {
    id: s.id,
    pools: await visible(s.pools, (p) => p.namespace),
    machines: await visible(s.machines, (m) => m.namespace),
    strategies: await visible(s.strategies, (x) => x.namespace),
    costs: await visible(s.costs, (c) => c.key.slice(0, c.key.indexOf('/'))),
  };
}

function namespaceOf(change: Change): string {
  return change.key.slice(0, change.key.indexOf('/'));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sendAsset(res: ServerResponse, asset: StaticAsset | undefined): true {
  if (asset === undefined) return send(res, 404, 'text/plain; charset=utf-8', 'no such file\n');
  return send(res, 200, asset.contentType, asset.body);
}

function redirect(res: ServerResponse, to: string): true {
  res.writeHead(302, { Location: to, 'Cache-Control': 'no-store' });
  res.end();
  return true;
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer, headers: Readonly<Record<string, string>> = {}): true {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
  return true;
}

function pick<T extends object, K extends keyof T>(o: T, ...keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
