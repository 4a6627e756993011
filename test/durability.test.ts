// Every acknowledged write survives a crash: creates are killed mid-stream with SIGKILL, and every 201 is on disk.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { mteja, spawnServe } from './helpers/spawn.js';

describe('a crash during writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mteja-crash-'));
  const file = join(dir, 'crash.db');
  const env = { ...process.env, DATABASE_URL: `sqlite:${file}`, PORT: '0', LOG_LEVEL: 'silent', MTEJA_DEMO: 'false' };
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loses no acknowledged create (group commit acknowledges only after the fsync)', async () => {
    const { stdout } = await mteja(['business', 'create', '--name', 'Crash', '--plan', 'enterprise', '--json'], env);
    const made = JSON.parse(stdout);
    await mteja(['business', 'update', made.business._id, '--limits', '100000/1000000/10000000'], env);
    const { child, url, exited } = await spawnServe(env);

    const acknowledged: string[] = [];
    let killed = false;
    const create = async (i: number) => {
      try {
        const res = await fetch(`${url}/business/customer/create`, {
          method: 'POST',
          headers: { authorization: made.credential.clientsecret, 'content-type': 'application/json' },
          body: JSON.stringify({
            name: `Crash ${i}`,
            email: `crash${i}@example.com`,
            phone: '+254700000000',
            country: 'Kenya',
            currency: 'KES',
          }),
        });
        if (res.status === 201) {
          acknowledged.push(((await res.json()) as { data: { _id: string } }).data._id);
          if (acknowledged.length === 150 && !killed) {
            killed = true;
            child.kill('SIGKILL');
          }
        }
      } catch {
        // in flight when the process died: never acknowledged, so allowed to be lost
      }
    };
    const workers = Array.from({ length: 20 }, async (_, w) => {
      for (let i = w; i < 2000 && !killed; i += 20) await create(i);
    });
    await Promise.all(workers);
    await exited;
    assert.ok(killed && acknowledged.length >= 150);

    const db = new BetterSqlite3(file);
    const stored = new Set((db.prepare('select id from customers').all() as { id: string }[]).map((r) => r.id));
    db.close();
    const lost = acknowledged.filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged creates were lost`);
  });
});
