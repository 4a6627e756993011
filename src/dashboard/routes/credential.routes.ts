// API credentials of the signed-in business: list (never a secret; scopes, origins, last use), create (full, scoped or
// publishable; the secret once), rename or set the webhook URL, revoke.
import { Type } from 'typebox';
import type { Api, Deps } from '../../http/deps.js';
import { created, done, ok, updated } from '../../http/envelope.js';
import { invalid, notFound, SUBMISSION_PROBLEMS } from '../../http/errors.js';
import { parseId } from '../../http/params.js';
import { CredentialCreate, CredentialUpdate, credentialRules } from '../../modules/business/business.schema.js';
import {
  createCredential,
  listCredentials,
  revokeCredential,
  updateCredential,
} from '../../modules/business/business.store.js';
import { urlProblem } from '../../modules/webhook/ssrf.js';

const ClientIdParams = Type.Object({ clientid: Type.String() });

export async function credentialRoutes(app: Api, { db, config }: Deps) {
  /** A webhook URL must be one webhooks may go to (https, a public address), as for any endpoint. */
  const checkUrl = async (url: string | null | undefined) => {
    const problem = url ? await urlProblem(url, config.WEBHOOK_ALLOW_PRIVATE) : undefined;
    if (problem) throw invalid(SUBMISSION_PROBLEMS, { webhookurl: problem.replace(/^URL/, 'Webhook URL') });
  };

  app.get('/list', async (request) => ok(await listCredentials(db, request.caller.businessId)));

  app.post('/create', { schema: { body: CredentialCreate } }, async (request, reply) => {
    const problems = credentialRules(request.body);
    if (problems) throw invalid(SUBMISSION_PROBLEMS, problems);
    await checkUrl(request.body.webhookurl);
    const made = await createCredential(db, request.caller.businessId, request.body);
    return reply.code(201).send(created('Credential', { ...made.credential, clientsecret: made.clientsecret }));
  });

  app.patch('/update/:clientid', { schema: { params: ClientIdParams, body: CredentialUpdate } }, async (request) => {
    const clientId = parseId(request.params.clientid, 'Credential');
    await checkUrl(request.body.webhookurl);
    const modified = await updateCredential(db, request.caller.businessId, clientId, request.body);
    if (modified === undefined) throw notFound('Credential');
    return updated('Credential', clientId, modified);
  });

  app.post('/revoke/:clientid', { schema: { params: ClientIdParams } }, async (request) => {
    const clientId = parseId(request.params.clientid, 'Credential');
    if (!(await revokeCredential(db, clientId, request.caller.businessId))) throw notFound('Credential');
    return done('Credential revoked', { clientid: clientId });
  });
}
