// The client's types, read off the server's OpenAPI document (schema.gen.ts): no field list is written here.
import type { paths } from './schema.gen.js';

/** The API's resources, by the singular name in their paths (`/business/<resource>/…`). */
export type ResourceName = 'customer' | 'lead' | 'contact' | 'quote' | 'contract' | 'booking' | 'appointment' | 'event';

type Json<T> = T extends { content: { 'application/json': infer J } } ? J : never;
type Operation<P extends string, M extends string> = P extends keyof paths
  ? M extends keyof paths[P]
    ? NonNullable<paths[P][M]>
    : never
  : never;
/** `T` when the document has the operation; `Loose` for one it does not have yet (events, until webhooks land). */
type Known<P extends string, M extends string, T, Loose> = [Operation<P, M>] extends [never] ? Loose : T;

type RequestBody<P extends string, M extends string> =
  Operation<P, M> extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;
type Answer<P extends string, M extends string, S extends number> =
  Operation<P, M> extends { responses: infer R } ? (S extends keyof R ? Json<R[S]> : never) : never;
type Data<P extends string, M extends string, S extends number> = Answer<P, M, S> extends { data: infer D } ? D : never;
type QueryOf<P extends string> =
  Operation<P, 'get'> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** What a record of a resource the document does not describe yet is known to carry. */
export interface LooseRecord {
  _id: string;
  createdat: string;
  updatedat: string;
  [field: string]: unknown;
}

/** A record as `details` returns it. */
export type RecordOf<R extends ResourceName> = Known<
  `/business/${R}/details/{id}`,
  'get',
  Data<`/business/${R}/details/{id}`, 'get', 200>,
  LooseRecord
>;
/** A record as `list` returns it. */
export type ItemOf<R extends ResourceName> = Known<
  `/business/${R}/list`,
  'get',
  Data<`/business/${R}/list`, 'get', 200> extends Array<infer I> ? I : never,
  LooseRecord
>;
export type CreateOf<R extends ResourceName> = RequestBody<`/business/${R}/create`, 'post'>;
export type UpdateOf<R extends ResourceName> = RequestBody<`/business/${R}/update/{id}`, 'patch'>;

/** Extensions every list takes (CONTRACT.md section 4); `updatedsince` also takes a Date. */
export interface SyncParams {
  /** `meta.nextcursor` of the page before; the iterator passes it for you. */
  cursor?: string;
  /** Only records changed at or after this moment, oldest change first. */
  updatedsince?: string | Date;
}
type Scalar = string | number | boolean | Date | null | undefined;
/** A list's query: page, limit, search and the resource's filters, from the document. */
export type ListParams<R extends ResourceName> = Known<
  `/business/${R}/list`,
  'get',
  Omit<QueryOf<`/business/${R}/list`>, keyof SyncParams>,
  Record<string, Scalar>
> &
  SyncParams;

/** The answer of every update: which record, and whether a value changed (0 when every sent value was stored). */
export type UpdateResult = Data<'/business/customer/update/{id}', 'patch', 200>;

/** One page of a list: the records and the pagination the server reported. */
export interface ListPage<T> {
  data: T[];
  total: number;
  page: number;
  limit: number;
  pages: number;
  /** Where the next page starts (null on the last page); undefined when the server gives no cursors (Cashfin). */
  nextcursor?: string | null;
}

export type Customer = RecordOf<'customer'>;
export type CustomerCreate = CreateOf<'customer'>;
export type CustomerUpdate = UpdateOf<'customer'>;
export type CustomerListParams = ListParams<'customer'>;
export type Lead = RecordOf<'lead'>;
export type LeadCreate = CreateOf<'lead'>;
export type LeadUpdate = UpdateOf<'lead'>;
export type LeadConvert = RequestBody<'/business/lead/convert/{id}', 'post'>;
export type LeadListParams = ListParams<'lead'>;
export type Contact = RecordOf<'contact'>;
export type ContactCreate = CreateOf<'contact'>;
export type ContactUpdate = UpdateOf<'contact'>;
export type ContactListParams = ListParams<'contact'>;
export type Quote = RecordOf<'quote'>;
export type QuoteListParams = ListParams<'quote'>;
export type Contract = RecordOf<'contract'>;
export type ContractListParams = ListParams<'contract'>;
export type Booking = RecordOf<'booking'>;
export type BookingListParams = ListParams<'booking'>;
export type Appointment = RecordOf<'appointment'>;
export type AppointmentListParams = ListParams<'appointment'>;
export type Event = RecordOf<'event'>;
export type EventListParams = ListParams<'event'>;
