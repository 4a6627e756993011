// Lead routes: create and list (Cashfin), details, update and convert (extensions).

import type { ApiPlugin, Deps } from '../../http/deps.js';
import { CreatedEnvelope, created, done, responses, UpdatedEnvelope, updated } from '../../http/envelope.js';
import { notFound } from '../../http/errors.js';
import { IdParams, parseId } from '../../http/params.js';
import { readRoutes } from '../../http/read-routes.js';
import type { SourceOrigin } from '../../http/schemas.js';
import { Customer } from '../customer/customer.schema.js';
import { Lead, LeadConvert, LeadCreate, LeadListQuery, LeadUpdate, leadValidationError } from './lead.schema.js';
import { convertLead } from './lead.service.js';
import { createLead, getLead, LEAD_TABLES, listLeads, updateLead } from './lead.store.js';

const tags = ['Leads'];
const extension = ['Leads', 'extension'];
const config = { invalidBody: leadValidationError };

/** `origin` stamps the records these routes create: `api` under /business, `dashboard` when the dashboard mounts them. */
export const leadRoutes =
  (deps: Deps, origin: SourceOrigin = 'api'): ApiPlugin =>
  async (app) => {
    app.post(
      '/create',
      {
        config,
        schema: {
          tags,
          operationId: 'leadCreate',
          summary: 'Create a lead',
          body: LeadCreate,
          response: responses({ 201: CreatedEnvelope(Lead) }, [400]),
        },
      },
      async (request, reply) => {
        const lead = await createLead(request.db, request.caller.businessId, request.body, origin);
        return reply.code(201).send(created('Lead', lead));
      },
    );

    const read = readRoutes(deps, { record: Lead, name: 'Lead', tags, keep: LEAD_TABLES });
    app.get(
      '/list',
      read.list({ operationId: 'leadList', summary: 'List leads', querystring: LeadListQuery }, listLeads),
    );

    app.get(
      '/details/:id',
      read.details({ tags: extension, operationId: 'leadDetails', summary: 'Get lead details' }, getLead),
    );

    app.patch(
      '/update/:id',
      {
        config,
        schema: {
          tags: extension,
          operationId: 'leadUpdate',
          summary: 'Update a lead; move it through the pipeline with `status`',
          params: IdParams,
          body: LeadUpdate,
          response: responses({ 200: UpdatedEnvelope }, [400, 404]),
        },
      },
      async (request) => {
        const id = parseId(request.params.id, 'Lead');
        const modified = await updateLead(request.db, request.caller.businessId, id, request.body);
        if (modified === undefined) throw notFound('Lead');
        return updated('Lead', id, modified);
      },
    );

    app.post(
      '/convert/:id',
      {
        schema: {
          tags: extension,
          operationId: 'leadConvert',
          summary: 'Convert a lead to a customer',
          description:
            "Creates a customer from the lead's fields and the body's (the body wins), sets the lead to `converted` with its `customerid`, in one transaction, and returns the customer.",
          params: IdParams,
          body: LeadConvert,
          response: responses({ 201: CreatedEnvelope(Customer) }, [400, 404, 409]),
        },
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request, reply) => {
        const id = parseId(request.params.id, 'Lead');
        const customer = await convertLead(request.db, request.caller.businessId, id, request.body, origin);
        return reply.code(201).send(done('Lead converted successfully', customer));
      },
    );
  };
