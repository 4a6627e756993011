// Configuration: every variable the server reads is in README's table and in .env.example, with the same default.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigSchema, loadConfig, retrySchedule } from '../src/config.js';

const read = (file: string) => readFileSync(fileURLToPath(new URL(`../../${file}`, import.meta.url)), 'utf8');
const variables = Object.keys(ConfigSchema.properties).sort();

describe('configuration documents', () => {
  it("README's table names every variable with its default", () => {
    const rows = new Map(
      [...read('README.md').matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \|/gm)].map((m) => [m[1], m[2].trim()]),
    );
    assert.deepEqual([...rows.keys()].sort(), variables);
    for (const [name, schema] of Object.entries(ConfigSchema.properties)) {
      const fallback = (schema as { default?: unknown }).default;
      assert.equal(rows.get(name), fallback === undefined ? 'unset' : `\`${fallback}\``, name);
    }
  });

  it('.env.example names every variable, set to its default or commented out', () => {
    const lines = read('.env.example').split('\n');
    const named = new Map(
      lines.flatMap((line) => {
        const m = /^#? ?([A-Z][A-Z_]+)=(.*)$/.exec(line);
        return m ? [[m[1], { value: m[2], commented: line.startsWith('#') }] as const] : [];
      }),
    );
    assert.deepEqual([...named.keys()].sort(), variables);
    for (const [name, schema] of Object.entries(ConfigSchema.properties)) {
      const fallback = (schema as { default?: unknown }).default;
      const entry = named.get(name)!;
      if (fallback === undefined) assert.ok(entry.commented, `${name} has no default: commented out`);
      else if (!entry.commented) assert.equal(entry.value, String(fallback), name);
    }
  });
});

describe('WEBHOOK_RETRY_SCHEDULE', () => {
  it('starts at 0, the first attempt being made at once, and refuses a schedule that says otherwise', () => {
    assert.deepEqual(
      retrySchedule(loadConfig({ WEBHOOK_RETRY_SCHEDULE: '0, 1s,5m ,2h' })),
      [0, 1000, 300_000, 7_200_000],
    );
    assert.deepEqual(retrySchedule(loadConfig({ WEBHOOK_RETRY_SCHEDULE: '0ms' })), [0]);
    for (const schedule of ['5s,1s', '1,0', '0,', `0${',1s'.repeat(20)}`])
      assert.throws(() => loadConfig({ WEBHOOK_RETRY_SCHEDULE: schedule }), /the first 0/, JSON.stringify(schedule));
  });
});
