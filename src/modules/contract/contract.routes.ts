// Contract routes: list and details for the API and the dashboard; create and update for the dashboard only.

import type { ApiPlugin, Deps } from '../../http/deps.js';
import { CreatedEnvelope, created, responses, UpdatedEnvelope, updated } from '../../http/envelope.js';
import { notFound } from '../../http/errors.js';
import { IdParams, parseId } from '../../http/params.js';
import { readRoutes } from '../../http/read-routes.js';
import { Contract, ContractCreate, ContractListQuery, ContractUpdate } from './contract.schema.js';
import { CONTRACT_TABLES, createContract, getContract, listContracts, updateContract } from './contract.store.js';

const tags = ['Contracts'];

/** What the API serves under /business/contract, and the dashboard under its own prefix: contracts are read here. */
export const contractRoutes =
  (deps: Deps): ApiPlugin =>
  async (app) => {
    const read = readRoutes(deps, { record: Contract, name: 'Contract', tags, keep: CONTRACT_TABLES });
    app.get(
      '/list',
      read.list(
        { operationId: 'contractList', summary: 'List contracts', querystring: ContractListQuery },
        listContracts,
      ),
    );

    app.get(
      '/details/:id',
      read.details({ operationId: 'contractDetails', summary: 'Get contract details' }, getContract),
    );
  };

/** The writes the API leaves to the dashboard: mounted beside contractRoutes there, never under /business. */
export const contractDashboardRoutes =
  (_deps: Deps): ApiPlugin =>
  async (app) => {
    app.post(
      '/create',
      { schema: { body: ContractCreate, response: responses({ 201: CreatedEnvelope(Contract) }, [400, 409]) } },
      async (request, reply) => {
        const contract = await createContract(request.db, request.caller.businessId, request.body, 'dashboard');
        return reply.code(201).send(created('Contract', contract));
      },
    );

    app.patch(
      '/update/:id',
      {
        schema: {
          params: IdParams,
          body: ContractUpdate,
          response: responses({ 200: UpdatedEnvelope }, [400, 404, 409]),
        },
      },
      async (request) => {
        const id = parseId(request.params.id, 'Contract');
        const modified = await updateContract(request.db, request.caller.businessId, id, request.body);
        if (modified === undefined) throw notFound('Contract');
        return updated('Contract', id, modified);
      },
    );
  };
