// The benchmark harness, at a tiny scale for a few seconds: it seeds, serves, loads every scenario and reports.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const RUN = fileURLToPath(new URL('../bench/run.js', import.meta.url));

describe('npm run bench (smoke, tiny scale)', () => {
  const out = mkdtempSync(join(tmpdir(), 'mteja-bench-smoke-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  it('measures every scenario against the ceiling and writes the raw figures', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [RUN, '--scale', '300', '--duration', '1', '--connections', '4', '--quiet', '--out', out],
      { timeout: 120_000 },
    );
    assert.match(
      stdout,
      /\| scenario \| read cache \| req\/s \| p50 ms \| p99 ms \| errors \| % of ceiling \| cache hits \|/,
    );
    assert.match(stdout, /server peak RSS: \d+ MB/);
    const [file] = readdirSync(out);
    const result = JSON.parse(readFileSync(join(out, file), 'utf8'));
    // The ceiling and 15 rows with the read cache on (two scenarios run two loads at once, and the mixed one adds a
    // row for each of its three kinds of request), 14 with it off.
    assert.equal(result.rows.length, 30);
    assert.equal(result.rows.filter((r: { cache: string }) => r.cache === 'off').length, 14);
    for (const kind of ['details', 'list pages', 'creates'])
      assert.ok(
        result.rows.some((r: { scenario: string }) => r.scenario.endsWith(`creates: the ${kind}`)),
        kind,
      );
    assert.ok(result.pools.terms > 100, `${result.pools.terms} search terms drawn from the data`);
    assert.equal(result.singles.length, 10);
    for (const row of result.rows) {
      assert.ok(row.rps > 0, `${row.scenario} answered`);
      assert.equal(row.errors, 0, `${row.scenario} had no errors: ${JSON.stringify(row.codes)}`);
      if (row.cache === 'on' && !row.scenario.includes(': ') && !row.scenario.startsWith('create'))
        assert.equal(typeof row.hitRatio, 'number', `${row.scenario} reports its cache hit ratio`);
    }
    assert.ok(result.peakRssMb > 0);
  });
});
