#!/usr/bin/env node
// Writes sdk/src/schema.gen.ts from the server's OpenAPI document, so the client's types are the server's schemas.
// Usage: node sdk/scripts/generate-types.mjs [--check] [document.json | -]   (default: openapi.json at the repo root;
// `-` reads standard input). --check writes nothing and exits 1 when the committed file differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const target = join(root, 'sdk', 'src', 'schema.gen.ts');

const args = process.argv.slice(2);
const check = args.includes('--check');
const input = args.find((a) => a !== '--check') ?? join(root, 'openapi.json');
const document = JSON.parse(input === '-' ? await text(process.stdin) : readFileSync(input, 'utf8'));

const header = `${COMMENT_HEADER}// Generated from the server's OpenAPI document by sdk/scripts/generate-types.mjs (npm run sdk:types).\n\n`;
const generated = header + astToString(await openapiTS(document, { alphabetize: false }));

if (!check) {
  writeFileSync(target, generated);
} else if (readFileSync(target, 'utf8') !== generated) {
  console.error('sdk/src/schema.gen.ts is not what the OpenAPI document gives: run `npm run sdk:types`');
  process.exit(1);
}

async function text(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
