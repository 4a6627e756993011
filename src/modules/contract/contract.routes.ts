// Contract routes: list and details. Contracts are written from the dashboard, never through the public API.

import type { ApiPlugin, Deps } from '../../http/deps.js';
import { DetailsEnvelope, ListEnvelope, responses } from '../../http/envelope.js';
import { IdParams } from '../../http/params.js';
import { detailsHandler, listHandler } from '../../http/read-routes.js';
import { Contract, ContractListQuery } from './contract.schema.js';
import { CONTRACT_TABLES, getContract, listContracts } from './contract.store.js';

const tags = ['Contracts'];

/** What the API serves under /business/contract, and the dashboard under its own prefix: contracts are read here. */
export const contractRoutes =
  (deps: Deps): ApiPlugin =>
  async (app) => {
    app.get(
      '/list',
      {
        schema: {
          tags,
          operationId: 'contractList',
          summary: 'List contracts',
          querystring: ContractListQuery,
          response: responses({ 200: ListEnvelope(Contract) }, [400]),
        },
      },
      listHandler(deps, CONTRACT_TABLES, listContracts),
    );

    app.get(
      '/details/:id',
      {
        schema: {
          tags,
          operationId: 'contractDetails',
          summary: 'Get contract details',
          params: IdParams,
          response: responses({ 200: DetailsEnvelope(Contract) }, [400, 404]),
        },
      },
      detailsHandler(deps, 'Contract', CONTRACT_TABLES, getContract),
    );
  };
