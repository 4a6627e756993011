// Path parameters: the `:id` every details and update route takes, checked before any query runs.
import { Type } from 'typebox';
import { badId } from './errors.js';
import { ObjectIdInput } from './schemas.js';
import { OBJECT_ID } from './validation.js';

/** A route's `:id`: validated (and lower-cased) by its schema; a bad one is render-error.ts's "Invalid <resource> ID format". */
export const IdParams = Type.Object({
  id: ObjectIdInput({ description: 'The record id: a 24-character hex MongoDB ObjectID, either case' }),
});

/** Checks a path id; throws the contract's 400 ("Invalid customer ID format") when it is not 24 hex characters. */
export function parseId(raw: string, resource: string): string {
  if (!OBJECT_ID.test(raw)) throw badId(resource);
  return raw.toLowerCase();
}
