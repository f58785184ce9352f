import type { IncomingMessage, ServerResponse } from 'node:http';
import { loopbackAccess, type AccessControl } from '../runtime/auth/index.js';
import type { EventSink } from '../runtime/events/index.js';
import { HttpProblem, sendProblem } from '../runtime/http/index.js';
import type { Store } from '../runtime/store/index.js';
import { namespaceFilter } from './access.js';
import { FleetFeed, type Batch, type Change, type Snapshot } from './fleet-feed.js';
import { poolAction, type PoolAction } from './pool-actions.js';
import { SessionStore } from './session-store.js';
import { SignInThrottle } from './sign-in-throttle.js';
import { openEventStream } from './sse.js';
import { loadAssets, staticDir, type StaticAsset } from './static-assets.js';
import { WebAuth } from './web-auth.js';

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
  'session.js',
  'pool-actions.js',
  'style.css',
] as const;

/** No inline script or style, nothing from elsewhere: the page works offline and an injected tag does nothing. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const STREAM_RENEW_MS = 300_000;

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export interface WebViewOptions {
  readonly store: Store;
  /** The pool's events (the state file's, or the cluster's events.k8s.io). */
  readonly events?: Pick<EventSink, 'list'>;
  /**
   * The server's authentication and RBAC, shared with the inventory API; default: loopback (no
   * credential, everyone who reaches the address). Reading a namespace takes list on nodepools and
   * machines there; scaling, pausing and resuming a pool take patch on it.
   */
  readonly access?: AccessControl;
  /** Default: in memory, 1 h idle, 12 h at most. */
  readonly sessions?: SessionStore;
  /** Refused sign-ins per client address (default: 20 in 5 minutes, then 429). */
  readonly signInThrottle?: SignInThrottle;
  readonly batchMs?: number;
  readonly retainChanges?: number;
  /** An event stream ends after this long (default 5 min) and the browser reconnects, authenticated and authorized anew, missing nothing. */
  readonly streamRenewMs?: number;
}

export interface WebView {
  /** Answers a request under /ui/ (and / by a redirect there); false: not ours, for the server's other routes. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Stops the store's watches; open event streams end with the server's connections. */
  close(): void;
}

/**
 * The live web view of the fleet: its pages, a JSON snapshot (/ui/api/snapshot), the changes as
 * Server-Sent Events (/ui/api/events, resumable with Last-Event-ID), a pool's events
 * (/ui/api/pools/NS/NAME/events), the session (/ui/api/session) and the guarded actions on a pool
 * (POST /ui/api/pools/NS/NAME/scale and /pause). Mountable on any node:http server; `access` is the host's.
 */
export function createWebView(options: WebViewOptions): WebView {
  const feed = new FleetFeed({ store: options.store, ...pick(options, 'batchMs', 'retainChanges') });
  const assets = loadAssets(staticDir(), ASSETS);
  const auth = new WebAuth(options.access ?? loopbackAccess(), options.sessions ?? new SessionStore(), WEB_BASE, options.signInThrottle ?? new SignInThrottle());
  const renewMs = options.streamRenewMs ?? STREAM_RENEW_MS;
  const api = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (path === 'session') {
      if (req.method === 'POST') return auth.signIn(req, res);
      if (req.method === 'DELETE') return auth.signOut(req, res);
      if (req.method === 'GET' || req.method === 'HEAD') return auth.current(req, res);
      throw new HttpProblem(405, `${req.method ?? '?'} is not allowed on the session (GET, POST to sign in, DELETE to sign out)`, { Allow: 'GET, HEAD, POST, DELETE' });
    }
    const identity = await auth.identify(req);
    const pool = /^pools\/([^/]+)\/([^/]+)\/(events|scale|pause|permissions)$/.exec(path);
    const key = pool === null ? undefined : { namespace: decodeURIComponent(pool[1] ?? ''), name: decodeURIComponent(pool[2] ?? '') };
    if (key !== undefined && pool?.[3] !== 'events') return poolAction(req, res, pool?.[3] as PoolAction, key, options.store, auth, identity);
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpProblem(405, `${req.method ?? '?'} is not allowed here: only a pool's scale and pause take a POST`, { Allow: 'GET, HEAD' });
    const visible = namespaceFilter(auth.canRead(identity.caller));
    await feed.ready;
    if (path === 'snapshot') send(res, 200, 'application/json', JSON.stringify(await visibleSnapshot(feed.snapshot(), visible)));
    else if (path === 'events') await streamChanges(req, res, feed, visible, renewMs);
    else if (key !== undefined) await sendPoolEvents(res, options.events, key.namespace, key.name, visible);
    else throw new HttpProblem(404, `no such path ${WEB_BASE}api/${path}; try ${WEB_BASE}api/snapshot or ${WEB_BASE}api/events`);
  };
  return {
    async handle(req, res) {
      const path = new URL(req.url ?? '/', 'http://web').pathname;
      if (path === '/' || path === WEB_BASE.slice(0, -1)) return redirect(res, WEB_BASE);
      if (!path.startsWith(WEB_BASE)) return false;
      const rest = path.slice(WEB_BASE.length);
      if (rest.startsWith('api/')) {
        try {
          await api(req, res, rest.slice('api/'.length));
        } catch (e) {
          if (!(e instanceof HttpProblem)) throw e;
          sendProblem(res, e, path);
        }
        return true;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'the pages are read with GET\n', { Allow: 'GET, HEAD' });
      if (rest.startsWith('assets/')) return sendAsset(res, assets.get(rest.slice('assets/'.length)));
      return isPage(rest) ? sendAsset(res, assets.get('index.html')) : send(res, 404, 'text/plain; charset=utf-8', `no page ${path}\n`);
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

async function streamChanges(req: IncomingMessage, res: ServerResponse, feed: FleetFeed, visible: Visible, renewMs: number): Promise<true> {
  const stream = openEventStream(res, SECURITY_HEADERS);
  // Ended now and then: the browser reconnects with Last-Event-ID, and is authorized anew (a revoked RoleBinding or session takes effect).
  const renew = setTimeout(() => res.end(), renewMs);
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
  clearTimeout(renew);
  unsubscribe();
  return true;
}

async function sendPoolEvents(res: ServerResponse, events: WebViewOptions['events'], namespace: string, name: string, visible: Visible): Promise<true> {
  if ((await visible([namespace], (ns) => ns)).length === 0) throw new HttpProblem(403, `you may not list nodepools.polyfleet.io and machines.polyfleet.io in namespace "${namespace}", which seeing its pools takes`);
  let list: Awaited<ReturnType<NonNullable<typeof events>['list']>> = [];
  try {
    if (events !== undefined) list = await events.list({ kind: 'NodePool', namespace, name });
  } catch (e) {
    throw new HttpProblem(502, `reading the pool's Events failed: ${(e as Error).message}`);
  }
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
