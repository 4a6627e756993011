// Contact routes: create, list, details (Cashfin) and update (extension).

import type { ApiPlugin, Deps } from '../../http/deps.js';
import { CreatedEnvelope, created, responses, UpdatedEnvelope, updated } from '../../http/envelope.js';
import { notFound } from '../../http/errors.js';
import { IdParams, parseId } from '../../http/params.js';
import { readRoutes } from '../../http/read-routes.js';
import type { SourceOrigin } from '../../http/schemas.js';
import { Contact, ContactCreate, ContactListQuery, ContactUpdate } from './contact.schema.js';
import { CONTACT_TABLES, createContact, getContact, listContacts, updateContact } from './contact.store.js';

const tags = ['Contacts'];

/** `origin` stamps the records these routes create: `api` under /business, `dashboard` when the dashboard mounts them. */
export const contactRoutes =
  (deps: Deps, origin: SourceOrigin = 'api'): ApiPlugin =>
  async (app) => {
    app.post(
      '/create',
      {
        schema: {
          tags,
          operationId: 'contactCreate',
          summary: 'Create a contact',
          body: ContactCreate,
          response: responses({ 201: CreatedEnvelope(Contact) }, [400]),
        },
      },
      async (request, reply) => {
        const contact = await createContact(request.db, request.caller.businessId, request.body, origin);
        return reply.code(201).send(created('Contact', contact));
      },
    );

    const read = readRoutes(deps, { record: Contact, name: 'Contact', tags, keep: CONTACT_TABLES });
    app.get(
      '/list',
      read.list({ operationId: 'contactList', summary: 'List contacts', querystring: ContactListQuery }, listContacts),
    );

    app.get(
      '/details/:id',
      read.details({ operationId: 'contactDetails', summary: 'Get contact details' }, getContact),
    );

    app.patch(
      '/update/:id',
      {
        schema: {
          tags: ['Contacts', 'extension'],
          operationId: 'contactUpdate',
          summary: 'Update a contact (only the fields sent)',
          params: IdParams,
          body: ContactUpdate,
          response: responses({ 200: UpdatedEnvelope }, [400, 404]),
        },
      },
      async (request) => {
        const id = parseId(request.params.id, 'Contact');
        const modified = await updateContact(request.db, request.caller.businessId, id, request.body);
        if (modified === undefined) throw notFound('Contact');
        return updated('Contact', id, modified);
      },
    );
  };
