/**
 * The Cloud Billing Catalog API's `GET /v1/services/{serviceId}/skus` over its own wire protocol
 * (REST, JSON, Google's `{error: {code, message, status}}` errors), from its reference
 * (https://cloud.google.com/billing/docs/reference/rest/v1/services.skus/list): pageSize up to
 * 5000 (the default), an opaque pageToken bound to the service it continues, nextPageToken absent
 * on the last page, currencyCode USD. Served by the fake Compute Engine on the same endpoint, as a
 * proxy in front of both would, or on its own.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

const MAX_PAGE = 5000;
const PATH = /^\/v1\/services\/([^/]+)\/skus$/;

export interface FakeBillingCatalog {
  /** Whether a request path is this API's. */
  serves(pathname: string): boolean;
  /** Answers a GET of `url` (already authenticated by the server). */
  handle(url: URL, res: ServerResponse): void;
  /** Replace the SKUs of a service (by id, e.g. 6F81-5844-456A). */
  setSkus(serviceId: string, skus: readonly Record<string, unknown>[]): void;
  /** While down, every call fails as an outage does (HTTP 503 UNAVAILABLE). */
  setDown(down: boolean): void;
  /** skus.list pages answered so far, successful or not. */
  readonly calls: number;
}

class CatalogError extends Error {
  constructor(readonly code: number, readonly status: string, message: string) {
    super(message);
  }
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json; charset=UTF-8', 'content-length': String(Buffer.byteLength(text)) }).end(text);
}

function token(serviceId: string, offset: number): string {
  const mac = createHash('sha256').update(`${serviceId}|${offset}`).digest('base64url').slice(0, 12);
  return Buffer.from(JSON.stringify({ s: serviceId, o: offset, m: mac })).toString('base64url');
}

function offsetOf(serviceId: string, pageToken: string): number {
  if (pageToken === '') return 0;
  try {
    const t = JSON.parse(Buffer.from(pageToken, 'base64url').toString('utf8')) as { s?: unknown; o?: unknown };
    if (t.s === serviceId && typeof t.o === 'number' && token(serviceId, t.o) === pageToken) return t.o;
  } catch {
    // Falls through to the error below.
  }
  throw new CatalogError(400, 'INVALID_ARGUMENT', 'Invalid page token.');
}

export function fakeBillingCatalog(initial: Readonly<Record<string, readonly Record<string, unknown>[]>> = {}): FakeBillingCatalog {
  const services = new Map<string, readonly Record<string, unknown>[]>(Object.entries(initial));
  let down = false;
  let calls = 0;
  const answer = (url: URL): unknown => {
    const match = PATH.exec(url.pathname);
    const serviceId = decodeURIComponent(match?.[1] ?? '');
    if (down) throw new CatalogError(503, 'UNAVAILABLE', 'The service is currently unavailable.');
    const skus = services.get(serviceId);
    if (skus === undefined) throw new CatalogError(404, 'NOT_FOUND', `Service not found: services/${serviceId}`);
    const currency = url.searchParams.get('currencyCode') ?? 'USD';
    if (currency !== 'USD') throw new CatalogError(400, 'INVALID_ARGUMENT', `this fake prices in USD only, not ${currency}`);
    const rawSize = url.searchParams.get('pageSize');
    const pageSize = rawSize === null ? MAX_PAGE : Number(rawSize);
    if (!Number.isInteger(pageSize) || pageSize < 0) throw new CatalogError(400, 'INVALID_ARGUMENT', `Invalid value for page_size: ${rawSize ?? ''}`);
    const size = pageSize === 0 ? MAX_PAGE : Math.min(pageSize, MAX_PAGE);
    const offset = offsetOf(serviceId, url.searchParams.get('pageToken') ?? '');
    const page = skus.slice(offset, offset + size);
    const next = offset + size < skus.length ? token(serviceId, offset + size) : undefined;
    return { skus: page, ...(next === undefined ? {} : { nextPageToken: next }) };
  };
  return {
    serves: (pathname) => PATH.test(pathname),
    handle(url, res) {
      calls += 1;
      try {
        send(res, 200, answer(url));
      } catch (e) {
        const err = e instanceof CatalogError ? e : new CatalogError(500, 'INTERNAL', String(e));
        send(res, err.code, { error: { code: err.code, message: err.message, status: err.status } });
      }
    },
    setSkus(serviceId, skus) {
      services.set(serviceId, skus);
    },
    setDown(d) {
      down = d;
    },
    get calls() {
      return calls;
    },
  };
}
