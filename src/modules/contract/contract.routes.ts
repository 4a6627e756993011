// Contract routes: list and details. Contracts are written from the dashboard, never through the public API.

import type { ApiPlugin, Deps } from '../../http/deps.js';
import { mountReadRoutes } from '../../http/read-routes.js';
import { Contract, ContractListQuery } from './contract.schema.js';
import { getContract, listContracts } from './contract.store.js';

export const contractRoutes =
  (deps: Deps): ApiPlugin =>
  async (app) => {
    const { db } = deps;
    mountReadRoutes(app, deps, {
      resource: 'Contract',
      plural: 'contracts',
      tags: ['Contracts'],
      record: Contract,
      query: ContractListQuery,
      keep: ['contracts', 'customers'],
      list: (businessId, page, q) =>
        listContracts(db, businessId, page, { status: q.status, type: q.type, customerid: q.customerid }),
      get: (businessId, id) => getContract(db, businessId, id),
    });
  };
