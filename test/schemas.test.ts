// Bodies that must accept what another accepts, checked where they cannot simply be derived from it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from 'typebox';
import { CustomerCreate } from '../src/modules/customer/customer.schema.js';
import { LeadConvert } from '../src/modules/lead/lead.schema.js';

/** A schema's rules: the schema without its descriptions, which document but never validate. */
const rules = (schema: unknown) =>
  JSON.parse(JSON.stringify(schema, (key, value) => (key === 'description' ? undefined : value)));

describe('LeadConvert', () => {
  it("takes a customer create's fields with their rules, every one optional, and nothing else", () => {
    const derived = Type.Partial(CustomerCreate, { additionalProperties: false, title: 'LeadConvert' });
    assert.deepEqual(rules(LeadConvert), rules(derived));
  });
});
