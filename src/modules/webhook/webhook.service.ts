// What the CLI and the dashboard share about endpoints: the checks before one is saved, and the test ping.
import type { Queryable } from '../../db/engine.js';
import type { WebhookEndpointTable } from '../../db/schema.js';
import { EVENT_TYPE_NAMES } from '../event/event.schema.js';
import { recordEvent } from '../event/event.store.js';
import { urlProblem } from './ssrf.js';
import { toEndpoint, unknownPatterns } from './webhook.store.js';

/** Field -> problem for an endpoint's URL (where webhooks may go) and events (each must match some type). */
export async function endpointProblems(
  input: { url?: string; events?: string[] },
  allowPrivate: boolean,
): Promise<Record<string, string>> {
  const problems: Record<string, string> = {};
  const unknown = unknownPatterns(input.events ?? [], EVENT_TYPE_NAMES);
  if (unknown.length > 0) problems.events = `No event type matches ${unknown.join(', ')}`;
  if (input.url !== undefined) {
    const unsafe = await urlProblem(input.url, allowPrivate);
    if (unsafe) problems.url = unsafe;
  }
  return problems;
}

/** Queues a `ping` event for one endpoint, whatever it subscribes to; returns the event id. */
export function pingEndpoint(db: Queryable, row: WebhookEndpointTable): Promise<string> {
  return recordEvent(db, {
    businessId: row.businessid,
    type: 'ping',
    data: { endpoint: toEndpoint(row) },
    endpoints: [row],
  });
}
