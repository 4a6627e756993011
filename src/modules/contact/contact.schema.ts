// Contact: a general-purpose directory entry; the record, its bodies and its list query.
import { type Static, Type } from 'typebox';
import { type Filters, ListQuery } from '../../http/list-query.js';
import { Nullable, OptionalText, RecordSchema, RequiredText } from '../../http/schemas.js';

/** What `search` matches: named in the list query's description, and held in the stored search text, in this order. */
export const CONTACT_SEARCH_FIELDS = ['name', 'email', 'phone', 'companyname'] as const;

export const ContactCreate = Type.Object(
  {
    name: RequiredText(200, { description: "Contact's full name" }),
    email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
    phone: OptionalText(50),
    position: OptionalText(200, { description: 'Job title or role' }),
    companyname: OptionalText(200, { title: 'Company name', description: 'Company or organisation' }),
  },
  { title: 'ContactCreate' },
);

/** Only the fields sent change: any field of a create, checked as there but none required, and `active`. */
export const ContactUpdate = Type.Partial(Type.Object({ ...ContactCreate.properties, active: Type.Boolean() }), {
  title: 'ContactUpdate',
});

export const Contact = RecordSchema('Contact', {
  name: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  position: Nullable(Type.String()),
  companyname: Nullable(Type.String()),
});

/** Contacts are listed by search alone. */
export const CONTACT_FILTERS = {} satisfies Filters;

export const ContactListQuery = ListQuery(CONTACT_FILTERS, CONTACT_SEARCH_FIELDS);

export type Contact = Static<typeof Contact>;
export type ContactCreate = Static<typeof ContactCreate>;
export type ContactUpdate = Static<typeof ContactUpdate>;
