// The two write routes of the resources the public API only reads: POST /create and PATCH /update/:id, in the API's envelopes.
import type { Static, TSchema } from 'typebox';
import type { Api } from '../../http/deps.js';
import { CreatedEnvelope, created, responses, UpdatedEnvelope, updated } from '../../http/envelope.js';
import { notFound } from '../../http/errors.js';
import { IdParams, parseId } from '../../http/params.js';

export interface WriteRoutes<C extends TSchema, U extends TSchema> {
  /** Singular, capitalised: "Quote". Names the messages ("Quote created successfully") and the 400/404s. */
  resource: string;
  record: TSchema;
  create: { body: C; run(businessId: string, input: Static<C>): Promise<unknown> };
  /** Resolves to undefined when the record is not the business's, else to the number of records modified. */
  update: { body: U; run(businessId: string, id: string, patch: Static<U>): Promise<0 | 1 | undefined> };
}

export function mountWriteRoutes<C extends TSchema, U extends TSchema>(app: Api, spec: WriteRoutes<C, U>) {
  app.post(
    '/create',
    {
      schema: { body: spec.create.body, response: responses({ 201: CreatedEnvelope(spec.record) }, [400, 409]) },
    },
    async (request, reply) => {
      const record = await spec.create.run(request.caller.businessId, request.body as Static<C>);
      return reply.code(201).send(created(spec.resource, record));
    },
  );

  app.patch(
    '/update/:id',
    {
      schema: {
        params: IdParams,
        body: spec.update.body,
        response: responses({ 200: UpdatedEnvelope }, [400, 404, 409]),
      },
    },
    async (request) => {
      const id = parseId(request.params.id, spec.resource);
      const modified = await spec.update.run(request.caller.businessId, id, request.body as Static<U>);
      if (modified === undefined) throw notFound(spec.resource);
      return updated(spec.resource, id, modified);
    },
  );
}
