import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IMAGES, REGIONS, SIZES } from './catalogue.js';
import { INJECTABLE, NOT_FOUND, TOO_MANY_REQUESTS, UNAUTHORIZED, unprocessable } from './do-errors.js';
import type { DoError, FakeFailure } from './do-errors.js';
import { DropletState } from './droplet-state.js';
import { paginate } from './paginate.js';
import { RateBudget } from './rate-budget.js';

/** The calls a test can make fail, named like the Provider calls that make them. */
export type FakeOp = 'regions' | 'offerings' | 'image' | 'create' | 'get' | 'list' | 'delete' | 'action' | 'getAction';

export interface FakeDigitalOceanOptions {
  /** The bearer token it accepts; default a random one. */
  readonly token?: string;
  /** Requests counted per window; DO's is 5,000 an hour (the default). */
  readonly rateLimit?: { readonly limit: number; readonly windowMs: number };
  /** Most items a page holds whatever per_page asks (DO: 200). */
  readonly maxPerPage?: number;
  /** A new droplet turns active after this many GETs of it (default 2) … */
  readonly pollsUntilActive?: number;
  /** … or this long after it was created (default 20 s). */
  readonly msUntilActive?: number;
  /** Droplets the account may have (DO's default for new accounts is 25; here 1,000). */
  readonly dropletLimit?: number;
  /** How long a droplet action (power_off, shutdown, power_on) is in-progress (default 50 ms). */
  readonly msPerAction?: number;
  /** Epoch ms; default Date.now. The rate-limit window and droplet ages run on it. */
  readonly nowMs?: () => number;
}

export interface FakeDigitalOcean {
  /** The API base URL as a user writes it (`http://127.0.0.1:P`); the API itself is under /v2. */
  readonly endpoint: string;
  readonly token: string;
  /**
   * The next call of `op` fails with DigitalOcean's own answer for `failure`; with `skip`, the call
   * after `skip` more of them do (the second listing of a create, say). Injections queue per op.
   */
  inject(op: FakeOp, failure: FakeFailure, skip?: number): void;
  /** Droplets the account has now. */
  dropletCount(): number;
  /** GET /v2/sizes answers `usd` as the size's price_hourly from now on (a price change). */
  setPriceHourly(slug: string, usd: number): void;
  /** Requests refused with 429 because the budget was spent (not injected ones). */
  readonly refusedForRateLimit: () => number;
  stop(): Promise<void>;
}

interface Reply {
  readonly status: number;
  readonly body?: unknown;
}

const ok = (status: number, body?: unknown): Reply => ({ status, ...(body === undefined ? {} : { body }) });
const failure = (error: DoError): Reply => ok(error.status, { id: error.id, message: error.message, request_id: randomUUID() });

interface Route {
  readonly op: FakeOp;
  readonly id?: string;
  readonly actionId?: string;
}

function routeOf(method: string, path: string): Route | undefined {
  const droplet = /^\/v2\/droplets\/([^/]+)$/.exec(path);
  const image = /^\/v2\/images\/([^/]+)$/.exec(path);
  const dropletActions = /^\/v2\/droplets\/([^/]+)\/actions(?:\/([^/]+))?$/.exec(path);
  const action = /^\/v2\/actions\/([^/]+)$/.exec(path);
  if (method === 'POST' && dropletActions?.[1] !== undefined && dropletActions[2] === undefined) return { op: 'action', id: dropletActions[1] };
  if (method === 'GET' && dropletActions?.[1] !== undefined && dropletActions[2] !== undefined) return { op: 'getAction', id: dropletActions[1], actionId: dropletActions[2] };
  if (method === 'GET' && action?.[1] !== undefined) return { op: 'getAction', actionId: action[1] };
  if (method === 'GET' && path === '/v2/regions') return { op: 'regions' };
  if (method === 'GET' && path === '/v2/sizes') return { op: 'offerings' };
  if (method === 'GET' && image?.[1] !== undefined) return { op: 'image', id: decodeURIComponent(image[1]) };
  if (method === 'POST' && path === '/v2/droplets') return { op: 'create' };
  if (method === 'GET' && path === '/v2/droplets') return { op: 'list' };
  if (method === 'GET' && droplet?.[1] !== undefined) return { op: 'get', id: droplet[1] };
  if (method === 'DELETE' && droplet?.[1] !== undefined) return { op: 'delete', id: droplet[1] };
  return undefined;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A fake DigitalOcean API v2 on 127.0.0.1: regions, sizes, images/{slug}, droplets create, get,
 * list (tag_name, page, per_page, links.pages, meta.total) and delete, and droplet power actions
 * (POST /v2/droplets/{id}/actions with type power_off, shutdown or power_on; GET of the action by
 * /v2/actions/{id} or /v2/droplets/{id}/actions/{id}), written from the public API reference
 * (digitalocean/openapi). Every error body carries a fresh request_id, as DigitalOcean's do. One account with state in memory; a bearer token; rate-limit headers on
 * every answer from a budget that really runs out; failures injected per call.
 */
export async function startFakeDigitalOcean(options: FakeDigitalOceanOptions = {}): Promise<FakeDigitalOcean> {
  const token = options.token ?? `dop_v1_fake_${randomBytes(16).toString('hex')}`;
  const nowMs = options.nowMs ?? (() => Date.now());
  const budget = new RateBudget(options.rateLimit?.limit ?? 5000, options.rateLimit?.windowMs ?? 3_600_000, nowMs);
  const state = new DropletState({
    nowMs,
    pollsUntilActive: options.pollsUntilActive ?? 2,
    msUntilActive: options.msUntilActive ?? 20_000,
    dropletLimit: options.dropletLimit ?? 1000,
    msPerAction: options.msPerAction ?? 50,
  });
  const maxPerPage = options.maxPerPage ?? 200;
  const injected = new Map<FakeOp, { failure: FakeFailure; skip: number }[]>();
  let refused = 0;
  let base = '';
  const priceHourly = new Map<string, number>();

  const send = (res: ServerResponse, reply: Reply): void => {
    res.writeHead(reply.status, { ...budget.headers(), 'content-type': 'application/json; charset=utf-8', 'x-request-id': randomUUID() });
    res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
  };

  async function answer(route: Route, req: IncomingMessage, url: URL): Promise<Reply> {
    const page = (items: readonly unknown[], key: string): Reply => {
      const paged = paginate(items, url, base, maxPerPage);
      return 'error' in paged ? failure(unprocessable(paged.error)) : ok(200, { [key]: paged.items, links: paged.links, meta: paged.meta });
    };
    const dropletId = route.id !== undefined && /^[0-9]+$/.test(route.id) ? Number(route.id) : undefined;
    const actionId = route.actionId !== undefined && /^[0-9]+$/.test(route.actionId) ? Number(route.actionId) : undefined;
    switch (route.op) {
      case 'regions':
        return page(REGIONS, 'regions');
      case 'offerings':
        return page(
          SIZES.map((s) => ({ ...s, price_hourly: priceHourly.get(s.slug) ?? s.price_hourly })),
          'sizes',
        );
      case 'image': {
        const image = IMAGES.find((i) => i.slug === route.id || String(i.id) === route.id);
        return image ? ok(200, { image }) : failure(NOT_FOUND);
      }
      case 'list':
        return page(state.list(url.searchParams.get('tag_name') ?? undefined), 'droplets');
      case 'get': {
        const droplet = dropletId === undefined ? undefined : state.get(dropletId);
        return droplet ? ok(200, { droplet }) : failure(NOT_FOUND);
      }
      case 'delete':
        return dropletId !== undefined && state.delete(dropletId) ? ok(204) : failure(NOT_FOUND);
      case 'action': {
        const body = await readJson(req);
        const type = typeof body === 'object' && body !== null && 'type' in body ? body.type : undefined;
        const started = dropletId === undefined ? undefined : state.act(dropletId, typeof type === 'string' ? type : '');
        if (started === undefined) return failure(NOT_FOUND);
        return started.ok ? ok(201, { action: started.action }) : failure(started.error);
      }
      case 'getAction': {
        const action = actionId === undefined ? undefined : state.action(actionId, route.id === undefined ? undefined : (dropletId ?? -1));
        return action ? ok(200, { action }) : failure(NOT_FOUND);
      }
      case 'create': {
        const body = await readJson(req);
        if (typeof body !== 'object' || body === null || Array.isArray(body)) return failure({ status: 400, id: 'bad_request', message: 'The request body is not valid JSON.' });
        const created = state.create(body as Record<string, unknown>);
        return created.ok ? ok(202, { droplet: created.droplet, links: { actions: [] } }) : failure(created.error);
      }
    }
  }

  /** Auth, then the budget, then an injected failure, then the call itself — DO's order. */
  function gate(req: IncomingMessage, route: Route | undefined): Reply | undefined {
    if (req.headers.authorization !== `Bearer ${token}`) return failure(UNAUTHORIZED);
    if (!budget.take()) {
      refused += 1;
      return failure(TOO_MANY_REQUESTS);
    }
    if (!route) return failure(NOT_FOUND);
    const queue = injected.get(route.op) ?? [];
    const next = queue[0];
    if (next === undefined) return undefined;
    if (next.skip > 0) {
      next.skip -= 1;
      return undefined;
    }
    queue.shift();
    return failure(INJECTABLE[next.failure]);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const route = routeOf(req.method ?? 'GET', url.pathname.replace(/\/+$/, ''));
    const refusal = gate(req, route);
    if (refusal !== undefined || route === undefined) {
      send(res, refusal ?? failure(NOT_FOUND));
      return;
    }
    answer(route, req, url).then(
      (reply) => {
        send(res, reply);
      },
      (e: unknown) => {
        send(res, failure({ status: 500, id: 'server_error', message: `fake DigitalOcean failed: ${String(e)}` }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint: base,
    token,
    inject(op, failure, skip = 0) {
      injected.set(op, [...(injected.get(op) ?? []), { failure, skip }]);
    },
    dropletCount: () => state.count,
    setPriceHourly(slug, usd) {
      if (!SIZES.some((s) => s.slug === slug)) throw new Error(`the fake DigitalOcean has no size ${slug}`);
      priceHourly.set(slug, usd);
    },
    refusedForRateLimit: () => refused,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => {
          if (e) reject(e);
          else resolve();
        });
      }),
  };
}
