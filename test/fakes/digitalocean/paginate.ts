/**
 * DO's pagination: `page` (from 1) and `per_page` (default 20, at most 200 — here `maxPerPage`),
 * the page's items, `links.pages` with first/prev/next/last URLs where they make sense, and
 * `meta.total`.
 */
export type Paged =
  | {
      readonly items: readonly unknown[];
      readonly links: { readonly pages?: Readonly<Record<string, string>> };
      readonly meta: { readonly total: number };
    }
  | { readonly error: string };

const DEFAULT_PER_PAGE = 20;

function positive(text: string | null, fallback: number): number | undefined {
  if (text === null) return fallback;
  return /^[1-9][0-9]*$/.test(text) ? Number(text) : undefined;
}

export function paginate(all: readonly unknown[], url: URL, base: string, maxPerPage: number): Paged {
  const page = positive(url.searchParams.get('page'), 1);
  const asked = positive(url.searchParams.get('per_page'), DEFAULT_PER_PAGE);
  if (page === undefined) return { error: 'page must be a positive integer' };
  if (asked === undefined) return { error: 'per_page must be a positive integer' };
  const perPage = Math.min(asked, maxPerPage);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const link = (n: number): string => {
    const to = new URL(url.pathname, base);
    for (const [k, v] of url.searchParams) if (k !== 'page' && k !== 'per_page') to.searchParams.set(k, v);
    to.searchParams.set('page', String(n));
    to.searchParams.set('per_page', String(perPage));
    return to.toString();
  };
  const pages: Record<string, string> = {
    ...(page > 1 ? { first: link(1), prev: link(Math.min(page - 1, last)) } : {}),
    ...(page < last ? { next: link(page + 1), last: link(last) } : {}),
  };
  return {
    items: all.slice((page - 1) * perPage, page * perPage),
    links: Object.keys(pages).length === 0 ? {} : { pages },
    meta: { total: all.length },
  };
}
