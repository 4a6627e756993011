// The database's tables as Kysely sees them. Booleans are stored as 0/1 and lists as JSON text, on every engine.
/** Columns every business record has. `searchtext` holds the search fields, normalised, for substring search. */
interface RecordColumns {
  businessid: string;
  id: string;
  active: number;
  sourceorigin: string;
  searchtext: string;
  createdat: string;
  updatedat: string;
}

export interface BusinessTable {
  id: string;
  name: string;
  plan: string;
  /** Enterprise rate limits as "second/minute/day"; null for the plan's numbers. */
  ratelimits: string | null;
  /** The business's part of its booking pages' addresses, /book/{slug}/…; unique. */
  slug: string;
  /** Signs the manage links of its booking-page bookings; made on first use (booking-page/manage-token.ts). */
  bookingsecret: string | null;
  createdat: string;
  updatedat: string;
}

export interface CredentialTable {
  clientid: string;
  businessid: string;
  name: string;
  type: string;
  webhookurl: string | null;
  secrethash: string;
  secretprefix: string;
  secretlast4: string;
  /** Comma-separated `<resource>:read|write`; null is full access (migration 0013). */
  scopes: string | null;
  /** A publishable key's allowed browser origins, comma-separated; null for a secret key. */
  origins: string | null;
  revokedat: string | null;
  createdat: string;
  updatedat: string;
}

/** When each credential was last used, noted at most once a minute per key (http/auth.ts). */
export interface CredentialUsageTable {
  clientid: string;
  lastusedat: string;
}

export interface CustomerTable extends RecordColumns {
  name: string;
  email: string;
  emailkey: string;
  phone: string;
  country: string;
  currency: string;
  company: string | null;
  address: string | null;
  city: string | null;
  state: string | null;
  website: string | null;
  type: string;
}

export interface LeadTable extends RecordColumns {
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  jobtitle: string | null;
  industry: string | null;
  website: string | null;
  request: string | null;
  budget: number | null;
  country: string | null;
  state: string | null;
  address: string | null;
  source: string | null;
  status: string;
  customerid: string | null;
}

export interface ContactTable extends RecordColumns {
  name: string;
  email: string | null;
  phone: string | null;
  position: string | null;
  companyname: string | null;
}

export interface QuoteTable extends RecordColumns {
  quoteno: string;
  title: string;
  description: string | null;
  customerid: string | null;
  items: string;
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
  currency: string;
  issuedate: string | null;
  expirydate: string | null;
  notes: string | null;
  status: string;
}

export interface ContractTable extends RecordColumns {
  contractno: string;
  title: string;
  type: string | null;
  description: string | null;
  customerid: string | null;
  value: number;
  currency: string;
  startdate: string | null;
  enddate: string | null;
  signeddate: string | null;
  autorenew: number;
  status: string;
}

export interface AppointmentTable extends RecordColumns {
  title: string;
  description: string | null;
  category: string;
  duration: number;
  price: number;
  currency: string;
  location: string | null;
  /** A booking page elsewhere, set by staff on purpose; null for mteja's own page. */
  externalurl: string | null;
  /** The type's part of its booking page's address; unique in the business. */
  slug: string;
  timezone: string;
  availability: string;
  bufferminutes: number;
  /** The booking page offers no time sooner than this many minutes ahead. */
  minnoticeminutes: number;
  /** Nor any time further ahead than this many days. */
  windowdays: number;
  status: string;
}

export interface BookingTable extends RecordColumns {
  title: string;
  description: string | null;
  status: string;
  starttime: string;
  endtime: string;
  allday: number;
  type: string;
  appointmentid: string | null;
  customerid: string | null;
  attendee: string | null;
  location: string | null;
  meetinglink: string | null;
  notes: string | null;
}

export interface IdempotencyKeyTable {
  businessid: string;
  key: string;
  /** SHA-256 of method, path and body: the same key with another request is a conflict. */
  requesthash: string;
  status: 'running' | 'done';
  responsestatus: number | null;
  responsebody: string | null;
  createdat: string;
  expiresat: string;
}

/** A staff member who signs in to the dashboard of one business. */
export interface UserTable {
  businessid: string;
  id: string;
  email: string;
  /** The email lower-cased: unique across the installation, since sign-in names no business. */
  emailkey: string;
  name: string | null;
  /** scrypt$N$r$p$salt$hash (base64url). */
  passwordhash: string;
  active: number;
  lastsigninat: string | null;
  createdat: string;
  updatedat: string;
}

/** A dashboard session; the cookie holds the random id, the table only its SHA-256. */
export interface SessionTable {
  idhash: string;
  businessid: string;
  userid: string;
  createdat: string;
  lastseenat: string;
  expiresat: string;
}

/**
 * One sign-in attempt, counted per address (`ip:…`) and per email (`email:…`) over a window: recorded before its
 * password is checked, and taken back (by `attemptid`, the same on both rows) when the password was right.
 */
export interface SigninAttemptTable {
  key: string;
  attemptedat: string;
  /** Null on rows recorded before migration 0009 (failures). */
  attemptid: string | null;
}

/** One change to a business's records (or a ping), kept 30 days: `body` is the JSON sent, byte for byte. */
export interface EventTable {
  businessid: string;
  id: string;
  type: string;
  body: string;
  createdat: string;
}

/** Where a business's events go: `events` is a JSON list of types and patterns (`*`, `customer.*`). */
export interface WebhookEndpointTable {
  businessid: string;
  id: string;
  url: string;
  events: string;
  description: string | null;
  status: string;
  disabledreason: string | null;
  secret: string;
  /** After a rotation, the old secret signs beside the new one until `previousuntil`. */
  previoussecret: string | null;
  previousuntil: string | null;
  /** The credential whose webhook URL this endpoint is, if any. */
  credentialid: string | null;
  /** When the current run of failed attempts began; null after a success. */
  failingsince: string | null;
  createdat: string;
  updatedat: string;
}

/** One event for one endpoint: the outbox row, and the log of its attempts (the last in columns, earlier ones as JSON). */
export interface WebhookDeliveryTable {
  id: string;
  businessid: string;
  endpointid: string;
  eventid: string;
  eventtype: string;
  status: string;
  attempts: number;
  nextattemptat: string | null;
  leaseuntil: string | null;
  lastattemptat: string | null;
  responsestatus: number | null;
  responsebody: string | null;
  latencyms: number | null;
  error: string | null;
  /** The attempts before the last, a JSON array of DeliveryAttempt, oldest first; null when there were none. */
  earlierattempts: string | null;
  createdat: string;
  updatedat: string;
}

export interface Database {
  businesses: BusinessTable;
  credentials: CredentialTable;
  credential_usage: CredentialUsageTable;
  customers: CustomerTable;
  leads: LeadTable;
  contacts: ContactTable;
  quotes: QuoteTable;
  contracts: ContractTable;
  appointments: AppointmentTable;
  bookings: BookingTable;
  idempotency_keys: IdempotencyKeyTable;
  users: UserTable;
  sessions: SessionTable;
  signin_attempts: SigninAttemptTable;
  events: EventTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_deliveries: WebhookDeliveryTable;
}

/** Every table of business records: they share the list and search machinery, and seeding makes them in this order. */
export const RECORD_TABLES = [
  'customers',
  'leads',
  'contacts',
  'quotes',
  'contracts',
  'appointments',
  'bookings',
] as const;
export type RecordTableName = (typeof RECORD_TABLES)[number];
