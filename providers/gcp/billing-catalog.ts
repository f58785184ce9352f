import { SkuPage } from './billing-skus.js';

/** Where the Cloud Billing Catalog API answers. */
export const CATALOG_ENDPOINT = 'https://cloudbilling.googleapis.com';

/** The catalog's largest page (and its default). */
const PAGE_SIZE = 5000;

/** How long one page may take: a pricing API that hangs must not hold offerings up. */
export const DEFAULT_CATALOG_TIMEOUT_MS = 20_000;

/** How long one full read of the SKUs serves every region asking: regions priced together read the catalog once. */
const SHARED_READ_MS = 60_000;

export interface BillingCatalogOptions {
  /** The API base URL; default CATALOG_ENDPOINT. */
  readonly endpoint?: string | undefined;
  /** The request's authorization headers (the account's own credentials). */
  readonly headers: () => Promise<Headers>;
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

/**
 * `GET /v1/services/{serviceId}/skus` of the Cloud Billing Catalog API over every page
 * (pageToken/nextPageToken), with plain fetch: no client library of it is needed for one GET.
 * Redirects are refused (as for Compute Engine, clients.ts): they would carry the bearer token on.
 */
export class BillingCatalog {
  private last: { readonly serviceId: string; readonly at: number; readonly skus: Promise<unknown[]> } | undefined;

  constructor(private readonly options: BillingCatalogOptions) {}

  /** Every SKU of the service, one read shared by the callers of the same minute; a failed read is not kept. */
  listSkus(serviceId: string): Promise<unknown[]> {
    const now = (this.options.now ?? Date.now)();
    if (this.last !== undefined && this.last.serviceId === serviceId && now - this.last.at < SHARED_READ_MS) return this.last.skus;
    const read = { serviceId, at: now, skus: this.readAll(serviceId) };
    this.last = read;
    read.skus.catch(() => {
      if (this.last === read) this.last = undefined;
    });
    return read.skus;
  }

  private async readAll(serviceId: string): Promise<unknown[]> {
    const skus: unknown[] = [];
    let pageToken = '';
    do {
      const page = await this.page(serviceId, pageToken);
      skus.push(...(page.skus ?? []));
      pageToken = page.nextPageToken ?? '';
    } while (pageToken !== '');
    return skus;
  }

  private async page(serviceId: string, pageToken: string): Promise<SkuPage> {
    const base = (this.options.endpoint ?? CATALOG_ENDPOINT).replace(/\/+$/, '');
    const url = new URL(`${base}/v1/services/${encodeURIComponent(serviceId)}/skus`);
    url.searchParams.set('currencyCode', 'USD');
    url.searchParams.set('pageSize', String(PAGE_SIZE));
    if (pageToken !== '') url.searchParams.set('pageToken', pageToken);
    const response = await fetch(url, {
      headers: await this.options.headers(),
      redirect: 'manual',
      signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_CATALOG_TIMEOUT_MS),
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`services.skus.list of ${serviceId} answered HTTP ${response.status}: ${errorMessage(text)}`);
    const parsed = SkuPage.safeParse(parseJson(text));
    if (!parsed.success) throw new Error(`services.skus.list of ${serviceId} answered a page that is not a ListSkusResponse: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  }
}

type SkuPage = ReturnType<typeof SkuPage.parse>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Google's `{error: {message}}`, or the start of whatever came back. */
function errorMessage(text: string): string {
  const body = parseJson(text) as { error?: { message?: unknown } } | undefined;
  return typeof body?.error?.message === 'string' ? body.error.message : text.slice(0, 200);
}
