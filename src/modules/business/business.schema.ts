// Businesses and their API credentials: the shapes the CLI (and later the dashboard) read and write.
import { type Static, Type } from 'typebox';
import { SLUG_PATTERN } from '../../db/slugs.js';
import { Nullable, RequiredText, StringEnum } from '../../http/schemas.js';

export const PLANS = ['free', 'starter', 'professional', 'enterprise'] as const;
/** `publishable` is a `pk_` key for browser forms: it may only create leads, from its listed origins. */
export const CREDENTIAL_TYPES = ['custom', 'ecommerce', 'publishable'] as const;

/** What a key's scopes name: `<resource>:read` (list, details) or `<resource>:write` (create, update, convert, and read). */
export const SCOPE_RESOURCES = [
  'customers',
  'leads',
  'contacts',
  'quotes',
  'contracts',
  'bookings',
  'appointments',
  'events',
] as const;
export type ScopeResource = (typeof SCOPE_RESOURCES)[number];

const Scope = Type.String({
  pattern: `^(\\*|(${SCOPE_RESOURCES.join('|')}):(read|write))$`,
  description: '`<resource>:read`, `<resource>:write` (which includes read) or `*` (full access)',
  'x-error': `Scopes must be * or <resource>:read|write, the resource one of ${SCOPE_RESOURCES.join(', ')}`,
});

const Origin = Type.String({
  pattern: '^https?://[^/?#\\s]+$',
  maxLength: 300,
  description: 'A browser origin: scheme, host and port, no path',
  'x-error': 'Origins must be scheme://host[:port], e.g. https://shop.example.com',
});

const Limits = Type.String({
  pattern: '^[1-9]\\d{0,9}/[1-9]\\d{0,9}/[1-9]\\d{0,11}$',
  description: 'Custom enterprise limits: requests per second/minute/day, e.g. 100/5000/1000000',
  'x-error': 'Limits must be three positive whole numbers as second/minute/day, e.g. 100/5000/1000000',
});

export const BusinessCreate = Type.Object(
  {
    name: RequiredText(200, { description: 'Business name' }),
    plan: Type.Optional(StringEnum(PLANS)),
    limits: Type.Optional(Limits),
  },
  { additionalProperties: false },
);

/** The business's part of its booking pages' addresses: /book/{slug}/{type}. */
export const Slug = Type.String({
  pattern: SLUG_PATTERN,
  minLength: 1,
  maxLength: 60,
  description: 'Lower-case letters, digits and single hyphens, e.g. acme-dental',
  'x-error': 'Slug must be lower-case letters, digits and single hyphens, e.g. acme-dental',
});

export const BusinessUpdate = Type.Object(
  {
    name: Type.Optional(RequiredText(200)),
    slug: Type.Optional(Slug),
    plan: Type.Optional(StringEnum(PLANS)),
    limits: Type.Optional(Limits),
  },
  { additionalProperties: false },
);

export const CredentialCreate = Type.Object(
  {
    name: Type.Optional(RequiredText(100, { description: 'A name to recognise the credential by' })),
    type: Type.Optional(StringEnum(CREDENTIAL_TYPES, { default: 'custom' })),
    webhookurl: Type.Optional(Nullable(Type.String({ format: 'uri', maxLength: 2000, title: 'Webhook URL' }))),
    scopes: Type.Optional(
      Type.Array(Scope, { maxItems: 50, description: 'What the key may do; none or `*` is full access' }),
    ),
    origins: Type.Optional(
      Type.Array(Origin, { maxItems: 50, description: 'Publishable keys: the origins of the pages that use it' }),
    ),
  },
  { additionalProperties: false },
);

/** The rules across fields of a new credential, which a schema cannot say; null when there is no problem. */
export function credentialRules(input: CredentialCreate): Record<string, string> | null {
  const publishable = input.type === 'publishable';
  if (publishable && !input.origins?.length)
    return { origins: 'A publishable key needs at least one origin (--origins https://shop.example.com)' };
  if (publishable && input.scopes?.length)
    return { scopes: 'A publishable key has no scopes: it may only create leads' };
  if (!publishable && input.origins?.length) return { origins: 'Only a publishable key has origins' };
  return null;
}

/** The dashboard's edit of a credential: its name and webhook URL (null removes it). The secret never changes. */
export const CredentialUpdate = Type.Object(
  {
    name: Type.Optional(CredentialCreate.properties.name),
    webhookurl: CredentialCreate.properties.webhookurl,
  },
  { additionalProperties: false },
);

export type BusinessCreate = Static<typeof BusinessCreate>;
export type BusinessUpdate = Static<typeof BusinessUpdate>;
export type CredentialCreate = Static<typeof CredentialCreate>;
export type CredentialUpdate = Static<typeof CredentialUpdate>;
export type Plan = (typeof PLANS)[number];

export interface Business {
  _id: string;
  name: string;
  plan: Plan;
  /** Custom enterprise limits "second/minute/day", or null for the plan's. */
  limits: string | null;
  /** Its booking pages live under /book/{slug}/. */
  slug: string;
  createdat: string;
}

export interface Credential {
  clientid: string;
  businessid: string;
  name: string;
  type: string;
  webhookurl: string | null;
  /** Prefix and last 4 characters, never the secret. */
  secret: string;
  /** What the key may do; `['*']` is full access. A publishable key's are fixed: `['leads:create']`. */
  scopes: string[];
  /** A publishable key's browser origins; null for a secret key. */
  origins: string[] | null;
  revoked: boolean;
  /** When the key was last used, to the minute; null if never. */
  lastusedat: string | null;
  createdat: string;
}
