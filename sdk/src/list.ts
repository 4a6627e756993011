// A list call: one page with `.page()`, or every record with `for await`, by cursor when the server gives one.
import type { CallOptions, Http } from './http.js';
import type { ListPage } from './types.js';

/** Records per request while iterating, when the call names no limit: the most the API gives. */
const ITERATION_LIMIT = 100;

interface ListAnswer<T> {
  data: T[];
  meta?: Record<string, unknown>;
  pagination?: Record<string, unknown>;
}

/**
 * Nothing is sent until it is used. Iterating follows `meta.nextcursor` while the server gives one (mteja: stable
 * while records are added), else `page` up to the last page (Cashfin: a newest-first list shifts by the records
 * added meanwhile, so a record may be seen twice or missed; `updatedsince` lists oldest change first).
 */
export class List<T> implements AsyncIterable<T> {
  constructor(
    private readonly http: Http,
    private readonly path: string,
    private readonly params: Record<string, unknown>,
    private readonly options: CallOptions = {},
  ) {}

  /** The page the parameters name (page 1 by default), with the total. */
  page(): Promise<ListPage<T>> {
    return this.fetch(this.params);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    let query: Record<string, unknown> = { ...this.params, limit: this.params.limit ?? ITERATION_LIMIT };
    for (;;) {
      const page = await this.fetch(query);
      yield* page.data;
      if (page.data.length === 0) return;
      if (page.nextcursor !== undefined) {
        if (page.nextcursor === null) return;
        // The same filters and search go with the cursor; page does not (the cursor says where).
        const { page: _, ...rest } = query;
        query = { ...rest, cursor: page.nextcursor };
      } else {
        if (page.page >= page.pages) return;
        query = { ...query, page: page.page + 1 };
      }
    }
  }

  private async fetch(query: Record<string, unknown>): Promise<ListPage<T>> {
    const answer = await this.http.request<ListAnswer<T>>('GET', this.path, { ...this.options, query });
    // The contract sends the pagination as both `meta` and `pagination`; either alone is enough.
    const meta = answer.meta ?? answer.pagination ?? {};
    const page: ListPage<T> = {
      data: answer.data ?? [],
      total: Number(meta.total ?? 0),
      page: Number(meta.page ?? 1),
      limit: Number(meta.limit ?? 0),
      pages: Number(meta.pages ?? 0),
    };
    if ('nextcursor' in meta) page.nextcursor = (meta.nextcursor as string | null) ?? null;
    return page;
  }
}
