// Each routes file shows its own route table: grepping an operationId from openapi.json lands in its resource's file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const ROOT = new URL('../../', import.meta.url);
const doc = JSON.parse(readFileSync(new URL('openapi.json', ROOT), 'utf8'));

describe('route tables', () => {
  it('name every /business operation, as a literal with its method and URL, in the routes file of its resource', () => {
    for (const [path, operations] of Object.entries<Record<string, { operationId: string }>>(doc.paths)) {
      const match = /^\/business\/([a-z]+)(\/[^{]+)/.exec(path);
      if (!match) continue;
      const [, resource, url] = match;
      const file = `src/modules/${resource}/${resource}.routes.ts`;
      const source = readFileSync(new URL(file, ROOT), 'utf8');
      for (const [method, { operationId }] of Object.entries(operations)) {
        assert.match(source, new RegExp(`operationId: '${operationId}'`), `${operationId} in ${file}`);
        assert.match(source, new RegExp(`app\\.${method}\\(\\s*'${url}`), `${method} ${url} in ${file}`);
      }
    }
  });
});
