// One object per resource of the API: list and details for all; create and update where the API writes; convert.
import type { CallOptions, Http } from './http.js';
import { List } from './list.js';
import type {
  CreateOf,
  Customer,
  ItemOf,
  LeadConvert,
  ListParams,
  RecordOf,
  ResourceName,
  UpdateOf,
  UpdateResult,
} from './types.js';

type Data<T> = { data: T };

export class ReadOnlyResource<R extends ResourceName> {
  constructor(
    protected readonly http: Http,
    protected readonly resource: R,
  ) {}

  /** `await list(…).page()` for one page; `for await (const r of list(…))` for every record. */
  list(params: ListParams<R> = {} as ListParams<R>, options?: CallOptions): List<ItemOf<R>> {
    return new List(this.http, `/business/${this.resource}/list`, params as Record<string, unknown>, options);
  }

  async details(id: string, options?: CallOptions): Promise<RecordOf<R>> {
    const path = `/business/${this.resource}/details/${encodeURIComponent(id)}`;
    return (await this.http.request<Data<RecordOf<R>>>('GET', path, options)).data;
  }
}

export class Resource<R extends 'customer' | 'lead' | 'contact'> extends ReadOnlyResource<R> {
  /** The new record. Safe to retry: the call carries one Idempotency-Key for all its tries. */
  async create(body: CreateOf<R>, options?: CallOptions): Promise<RecordOf<R>> {
    const path = `/business/${this.resource}/create`;
    return (await this.http.request<Data<RecordOf<R>>>('POST', path, { ...options, body })).data;
  }

  /** `{ _id, modified }`: modified is 0 when every sent value equals the stored one. */
  async update(id: string, patch: UpdateOf<R>, options?: CallOptions): Promise<UpdateResult> {
    const path = `/business/${this.resource}/update/${encodeURIComponent(id)}`;
    return (await this.http.request<Data<UpdateResult>>('PATCH', path, { ...options, body: patch })).data;
  }
}

export class Leads extends Resource<'lead'> {
  /** Makes a customer of the lead (the body's fields win over the lead's) and returns the customer. */
  async convert(id: string, body: LeadConvert = {}, options?: CallOptions): Promise<Customer> {
    const path = `/business/lead/convert/${encodeURIComponent(id)}`;
    return (await this.http.request<Data<Customer>>('POST', path, { ...options, body })).data;
  }
}
