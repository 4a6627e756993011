// The OpenAPI 3.1 document: generated from the route schemas by @fastify/swagger; this file holds only its frame.
import type { SwaggerOptions } from '@fastify/swagger';

export const openapiOptions: SwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'mteja CRM API',
      version: '1.0.0',
      description:
        'The CRM module of the Cashfin Business API (customers, leads, contacts, quotes, contracts, bookings, appointment types), ' +
        'served by mteja. Operations tagged `extension` go beyond the Cashfin surface; they add to it and never change a documented shape.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    tags: [
      { name: 'Customers', description: 'Customer records: create, list, details, update' },
      { name: 'Leads', description: 'Prospective customers through the sales pipeline' },
      { name: 'Contacts', description: 'A general-purpose business contact directory' },
      { name: 'Quotes', description: 'Sales proposals (read-only through the API)' },
      { name: 'Contracts', description: 'Agreements with customers (read-only through the API)' },
      { name: 'Bookings', description: 'Scheduled sessions (read-only through the API)' },
      {
        name: 'Appointments',
        description: 'Bookable appointment types with booking statistics (read-only through the API)',
      },
      { name: 'extension', description: 'Endpoints mteja adds beyond the Cashfin documentation' },
      { name: 'Operations', description: 'Liveness and readiness probes, outside authentication' },
    ],
    components: {
      securitySchemes: {
        clientSecret: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'The client secret (`cs_…`), raw or after `Bearer `',
        },
      },
    },
    security: [{ clientSecret: [] }],
  },
};
