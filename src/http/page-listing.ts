/**
 * Genesys' paged listings (`...EntityListing`): one page of entities and the paging fields,
 * the URIs relative to the API root as Genesys writes them
 * (`/api/v2/authorization/roles?pageSize=25&pageNumber=2`), carrying the request's filters.
 */

export const PAGE_SIZE = { default: 25, min: 1, max: 500 } as const;
/** Genesys reads page numbers as 32-bit integers; anything above is refused, not wrapped. */
export const PAGE_NUMBER = { default: 1, min: 1, max: 2_147_483_647 } as const;

export interface PageRequest {
  pageSize: number;
  pageNumber: number;
}

export interface PageListing<T> {
  entities: T[];
  pageSize: number;
  pageNumber: number;
  total: number;
  pageCount: number;
  firstUri: string;
  selfUri: string;
  lastUri: string;
  nextUri?: string;
  previousUri?: string;
}

/** `filters`: the other query parameters of the request, each value repeated in the URIs. */
export function pageListing<T>(all: readonly T[], page: PageRequest, path: string, filters: Record<string, readonly string[]> = {}): PageListing<T> {
  const start = (page.pageNumber - 1) * page.pageSize;
  return { entities: start < all.length ? all.slice(start, start + page.pageSize) : [], ...pageLinks(path, page, all.length, filters) };
}

/** The paging fields of a page of `total` entities, for a listing that pages in the store. */
export function pageLinks(
  path: string,
  page: PageRequest,
  total: number,
  filters: Record<string, readonly string[]> = {},
): Omit<PageListing<never>, 'entities'> {
  const { pageSize, pageNumber } = page;
  const pageCount = Math.ceil(total / pageSize);
  const filterQuery = Object.entries(filters)
    .flatMap(([name, values]) => values.map((value) => `&${encodeURIComponent(name)}=${encodeURIComponent(value)}`))
    .join('');
  const uri = (n: number) => `${path}?pageSize=${pageSize}&pageNumber=${n}${filterQuery}`;
  return {
    pageSize,
    pageNumber,
    total,
    pageCount,
    firstUri: uri(1),
    selfUri: uri(pageNumber),
    lastUri: uri(Math.max(pageCount, 1)),
    ...(pageNumber < pageCount ? { nextUri: uri(pageNumber + 1) } : {}),
    // Past the end, "previous" is the last page that has entities, not an empty one.
    ...(pageNumber > 1 ? { previousUri: uri(Math.min(pageNumber - 1, Math.max(pageCount, 1))) } : {}),
  };
}

/** The paging fields of a listing whose SDK method takes no paging parameters. */
export interface WholeListing<T> {
  entities: T[];
  pageSize: number;
  pageNumber: 1;
  total: number;
  pageCount: 1;
}

/**
 * Every entity in one page, for a listing whose SDK method takes no paging parameters
 * (getOauthClients, getAuthorizationProducts): paging parameters are ignored, `pageSize` is the
 * total (CONTRACT.md, "The directory and authorization planes"), so a caller that reads one page
 * sees every entity.
 */
export function wholeListing<T>(entities: T[]): WholeListing<T> {
  return { entities, pageSize: entities.length, pageNumber: 1, total: entities.length, pageCount: 1 };
}
