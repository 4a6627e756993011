// Path parameters: the `:id` every details and update route takes, checked before any query runs.
import { Type } from 'typebox';
import { badId } from './errors.js';

export const IdParams = Type.Object({
  id: Type.String({
    description: 'The record id (24-character hex MongoDB ObjectID)',
    examples: ['507f1f77bcf86cd799439011'],
  }),
});

const OBJECT_ID = /^[0-9a-fA-F]{24}$/;

/** Checks a path id; throws the contract's 400 ("Invalid customer ID format") when it is not 24 hex characters. */
export function parseId(raw: string, resource: string): string {
  if (!OBJECT_ID.test(raw)) throw badId(resource);
  return raw.toLowerCase();
}
