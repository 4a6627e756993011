// Customer routes: create, list, details, update.

import type { ApiPlugin, Deps } from '../../http/deps.js';
import { CreatedEnvelope, created, responses, UpdatedEnvelope, updated } from '../../http/envelope.js';
import { notFound } from '../../http/errors.js';
import { IdParams, parseId } from '../../http/params.js';
import { readRoutes } from '../../http/read-routes.js';
import type { SourceOrigin } from '../../http/schemas.js';
import { Customer, CustomerCreate, CustomerListQuery, CustomerUpdate } from './customer.schema.js';
import { CUSTOMER_TABLES, createCustomer, getCustomer, listCustomers, updateCustomer } from './customer.store.js';

const tags = ['Customers'];

/** `origin` stamps the records these routes create: `api` under /business, `dashboard` when the dashboard mounts them. */
export const customerRoutes =
  (deps: Deps, origin: SourceOrigin = 'api'): ApiPlugin =>
  async (app) => {
    app.post(
      '/create',
      {
        schema: {
          tags,
          operationId: 'customerCreate',
          summary: 'Create a customer',
          body: CustomerCreate,
          response: responses({ 201: CreatedEnvelope(Customer) }, [400, 409]),
        },
      },
      async (request, reply) => {
        const customer = await createCustomer(request.db, request.caller.businessId, request.body, origin);
        return reply.code(201).send(created('Customer', customer));
      },
    );

    const read = readRoutes(deps, { record: Customer, name: 'Customer', tags, keep: CUSTOMER_TABLES });
    app.get(
      '/list',
      read.list(
        { operationId: 'customerList', summary: 'List customers', querystring: CustomerListQuery },
        listCustomers,
      ),
    );

    app.get(
      '/details/:id',
      read.details({ operationId: 'customerDetails', summary: 'Get customer details' }, getCustomer),
    );

    app.patch(
      '/update/:id',
      {
        schema: {
          tags,
          operationId: 'customerUpdate',
          summary: 'Update a customer (only the fields sent)',
          params: IdParams,
          body: CustomerUpdate,
          response: responses({ 200: UpdatedEnvelope }, [400, 404, 409]),
        },
      },
      async (request) => {
        const id = parseId(request.params.id, 'Customer');
        const modified = await updateCustomer(request.db, request.caller.businessId, id, request.body);
        if (modified === undefined) throw notFound('Customer');
        return updated('Customer', id, modified);
      },
    );
  };
