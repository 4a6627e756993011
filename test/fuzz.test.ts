// Property-based fuzzing of every operation in /openapi.json (fast-check), over real HTTP, on every engine: whatever
// is sent (hostile strings, wrong types, huge numbers, deep nesting, long ids, odd query strings and headers), the
// answer is never a 5xx, always JSON in the envelope, and valid against the document's schema for its status.
// FUZZ_RUNS sets the cases per operation (default 200); FUZZ_SEED replays a failure fast-check reported.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import fc from 'fast-check';
import { makeCustomer } from './helpers/fixtures.js';
import { engines, startServer, type TestServer } from './helpers/server.js';

const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

interface Operation {
  method: string;
  path: string;
  op: any;
}

/** A request as the fuzzer builds it: everything but the secret, which each case picks separately. */
interface Case {
  path: string;
  query: string;
  body?: string | Buffer;
  headers: Record<string, string>;
  secret: 'valid' | 'none' | 'bogus';
}

// ---- arbitraries: what a hostile client sends ----

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  'abc\u0000def',
  '\ud800',
  'x\udc00y',
  '😀',
  '\u202e\u0301',
  '\uffff',
  '0x10',
  '1e2',
  'Infinity',
  '-1',
  '1.5',
  'NaN',
  'null',
  'true',
  '%',
  '%00',
  "' OR 1=1 --",
  '"; DROP TABLE customers; --',
  '\\',
  '_%',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'x'.repeat(201),
  'y'.repeat(5000),
  '507f1f77bcf86cd799439011',
  '507F1F77BCF86CD799439011',
  '2024-01-15T10:30:00.000Z',
  '2024-02-30',
  'KES',
  'Africa/Nairobi',
  'a@b.co',
];

const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
);

const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e308, -1e308, 2 ** 53 + 1, 1e-320, 1e13, 1e13 + 0.01, 0.001, 1e9),
);

/** Nested lists `depth` levels deep, around a value. */
const nested = (depth: number, inner: unknown): unknown => {
  let value = inner;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

const nastyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString,
    nastyNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(nastyString, tie('value'), { maxKeys: 3 }),
    fc.constantFrom(20, 40, 3000).map((depth) => nested(depth, 'deep')),
  ),
})).value;

/** A value for one property of a schema: sometimes one it could accept, often not. */
function propertyValue(schema: any): fc.Arbitrary<unknown> {
  const plausible: fc.Arbitrary<unknown>[] = [];
  const types = ([] as string[]).concat(schema?.type ?? []);
  if (Array.isArray(schema?.enum)) plausible.push(fc.constantFrom(...schema.enum));
  if (types.includes('string')) plausible.push(fc.string({ maxLength: 40 }), fc.constantFrom(...NASTY_STRINGS));
  if (types.includes('number') || types.includes('integer')) plausible.push(nastyNumber);
  if (types.includes('boolean')) plausible.push(fc.boolean());
  if (types.includes('array') && schema.items) plausible.push(fc.array(bodyObject(schema.items), { maxLength: 3 }));
  if (types.includes('object')) plausible.push(bodyObject(schema));
  return fc.oneof(...plausible, nastyValue);
}

/** An object for a schema: any subset of its properties, each plausible or hostile, plus unknown fields. */
function bodyObject(schema: any): fc.Arbitrary<unknown> {
  const properties: Record<string, any> = schema?.properties ?? {};
  const known = fc.record(
    Object.fromEntries(Object.entries(properties).map(([name, inner]) => [name, propertyValue(inner)])),
    { requiredKeys: [] },
  );
  return fc
    .tuple(known, fc.dictionary(nastyString, nastyValue, { maxKeys: 2 }))
    .map(([fields, extra]) => ({ ...extra, ...fields }));
}

const RAW_BODIES: (string | Buffer)[] = [
  '',
  '{',
  '[]',
  'null',
  '"text"',
  '{"a":1,}',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  `{"name":${'['.repeat(3000)}${']'.repeat(3000)}}`,
  '{"name":"\\ud800"}',
  '{"name":"a\\u0000b"}',
  Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
];

/** A request body: JSON from the schema, hostile JSON, or bytes that are not JSON at all. */
function requestBody(schema: any): fc.Arbitrary<string | Buffer | undefined> {
  return fc.oneof(
    { weight: 6, arbitrary: bodyObject(schema).map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: nastyValue.map((value) => JSON.stringify(value) ?? 'null') },
    { weight: 2, arbitrary: fc.constantFrom(...RAW_BODIES) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** Percent-encodes text as UTF-8; a lone surrogate, which encodeURIComponent refuses, is sent as its raw bytes. */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text]
      .map((ch) => {
        const code = ch.charCodeAt(0);
        if (ch.length > 1 || code < 0xd800 || code > 0xdfff) return encodeURIComponent(ch);
        return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
          .map((b) => `%${b.toString(16).toUpperCase()}`)
          .join('');
      })
      .join('');
  }
}

/** Already-encoded fragments that no encoder produces: bad escapes, invalid UTF-8, NUL, separators. */
const RAW_FRAGMENTS = ['%zz', '%', '%ED%A0%80', '%FF%FE', '%00', '%C0%AF', '+', '%2F', '..', '%20', '&', '='];

const fragment = fc.oneof({ weight: 3, arbitrary: nastyString.map(encode) }, fc.constantFrom(...RAW_FRAGMENTS));

function queryString(parameters: any[]): fc.Arbitrary<string> {
  const names = parameters.filter((p) => p.in === 'query').map((p) => p.name as string);
  const name = names.length > 0 ? fc.oneof(fc.constantFrom(...names), fragment) : fragment;
  const value = fc.oneof(
    fragment,
    fc.integer({ min: -5, max: 200 }).map(String),
    fc.constantFrom('0x10', '%201', '1e2', 'Infinity', '007', '', '1&page=2'),
  );
  return fc.array(fc.tuple(name, value), { maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
}

const pathId = fc.oneof(
  fc.stringMatching(/^[0-9a-fA-F]{24}$/),
  fragment,
  fc.constantFrom(`${'a'.repeat(101)}`, 'b'.repeat(5000), '507f1f77bcf86cd79943%00011'),
  fc.string({ minLength: 90, maxLength: 120 }).map(encode),
);

const headers = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
    ),
    'content-encoding': fc.constantFrom('gzip', 'br', 'deflate', 'identity', 'x-nonsense'),
    'idempotency-key': fc.oneof(
      fc.string({ unit: 'binary-ascii', maxLength: 10 }),
      fc.constantFrom('', 'k'.repeat(300)),
    ),
  },
  { requiredKeys: [] },
);

/** Header values fetch refuses to send (control characters); such a case is sent without that header. */
const sendable = (value: string) =>
  [...value].every((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f) && value === value.trim();

function caseFor({ path, op }: Operation): fc.Arbitrary<Case> {
  const parameters: any[] = op.parameters ?? [];
  const bodySchema = op.requestBody?.content?.['application/json']?.schema;
  return fc.record({
    path: path.includes('{id}') ? pathId.map((id) => path.replace('{id}', id)) : fc.constant(path),
    query: queryString(parameters),
    body: bodySchema ? requestBody(bodySchema) : fc.constant(undefined),
    headers: bodySchema
      ? fc.oneof({ weight: 4, arbitrary: fc.constant({ 'content-type': 'application/json' }) }, headers)
      : fc.constant({}),
    secret: fc.oneof(
      { weight: 8, arbitrary: fc.constant('valid' as const) },
      fc.constantFrom('none' as const, 'bogus' as const),
    ),
  });
}

// ---- the document's response schemas ----

function responseValidator(doc: object) {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  for (const format of ['object-id', 'currency', 'instant', 'time-of-day', 'timezone']) ajv.addFormat(format, true);
  ajv.addSchema(doc, 'openapi');
  const cache = new Map<string, ValidateFunction | undefined>();
  const pointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
  return (operation: Operation, status: number) => {
    const key = `${operation.method} ${operation.path} ${status}`;
    if (!cache.has(key)) {
      const response = operation.op.responses[String(status)] ?? operation.op.responses.default;
      cache.set(
        key,
        response?.content?.['application/json']?.schema
          ? ajv.getSchema(
              `openapi#/paths/${pointer(operation.path)}/${operation.method}/responses/${pointer(
                operation.op.responses[String(status)] ? String(status) : 'default',
              )}/content/application~1json/schema`,
            )
          : undefined,
      );
    }
    return {
      documented: Boolean(operation.op.responses[String(status)] ?? operation.op.responses.default),
      validate: cache.get(key),
    };
  };
}

for (const engine of engines()) {
  describe(`fuzzing every operation of /openapi.json [${engine.name}]`, () => {
    let server: TestServer;
    let operations: Operation[] = [];
    let validator: ReturnType<typeof responseValidator>;
    before(async () => {
      server = await startServer(engine);
      const doc = (await server.request('GET', '/openapi.json', { secret: null })).body;
      operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({ method, path, op })),
      );
      validator = responseValidator(doc);
      // A record or two, so that some generated ids and filters meet real rows.
      await makeCustomer(server);
    });
    after(() => server.close());

    async function send(operation: Operation, c: Case) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(c.headers)) if (sendable(value)) headers[name] = value;
      if (c.secret === 'valid') headers.authorization = server.secret;
      if (c.secret === 'bogus') headers.authorization = 'cs_nope';
      const url = `${server.url}${c.path}${c.query ? `?${c.query}` : ''}`;
      const response = await fetch(url, { method: operation.method.toUpperCase(), headers, body: c.body });
      return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
    }

    it('answers every generated request without a 5xx, in the envelope, as the document says', async (t) => {
      assert.ok(operations.length >= 20, 'the document lists the operations');
      for (const operation of operations) {
        await t.test(`${operation.method.toUpperCase()} ${operation.path}`, async () => {
          await fc.assert(
            fc.asyncProperty(caseFor(operation), async (c) => {
              const answer = await send(operation, c);
              const where = `${operation.method.toUpperCase()} ${c.path}?${c.query} -> ${answer.status} ${answer.text.slice(0, 300)}`;
              assert.ok(answer.status < 500, where);
              assert.match(answer.type, /^application\/json/, where);
              const body = JSON.parse(answer.text);
              if (answer.status >= 400) {
                assert.equal(body.success, false, where);
                assert.equal(typeof body.error, 'string', where);
              }
              const { documented, validate } = validator(operation, answer.status);
              assert.ok(documented, `status ${answer.status} is documented: ${where}`);
              if (validate) assert.ok(validate(body), `${where}\n${JSON.stringify(validate.errors)}`);
            }),
            { numRuns: RUNS, seed: SEED, endOnFailure: true },
          );
        });
      }
    });
  });
}
