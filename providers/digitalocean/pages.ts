/** The paging part of every DO listing's body. */
interface ListResponse {
  readonly links?: { readonly pages?: { readonly next?: string } };
  readonly meta?: { readonly total?: number };
}

/** A listing walks at most this many pages: a server that always says "next" cannot loop us forever. */
const MAX_PAGES = 1000;

/**
 * Every item of a paginated DO listing: page 1, 2, … while `links.pages.next` says there is more
 * and fewer than `meta.total` items have been seen.
 */
export async function allPages<R extends ListResponse, T>(fetchPage: (page: number) => Promise<R>, items: (response: R) => readonly T[]): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const response = await fetchPage(page);
    const batch = items(response);
    all.push(...batch);
    const total = response.meta?.total;
    const more = response.links?.pages?.next !== undefined && batch.length > 0;
    if (!more || (total !== undefined && all.length >= total)) return all;
  }
  throw new Error(`DigitalOcean listing did not end after ${MAX_PAGES} pages`);
}
