// Idempotency-Keys across a crash: keyed creates are killed mid-flight with SIGKILL, the server is started again on the
// same database and every key is retried. Each retry gets the stored response or a first execution, never a 409, and
// each key made exactly one record. Contacts have no unique field, so a second execution shows as a duplicate;
// customers have a unique email, so a second execution shows as a 409 "already exists".
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect as openDatabase } from '../src/db/connect.js';
import { engines } from './helpers/server.js';
import { mteja, spawnServe } from './helpers/spawn.js';

const ROUNDS = 3;
/** Keyed creates sent at once, all the time, until the kill. */
const CONCURRENCY = 32;

interface Sent {
  key: string;
  path: string;
  body: Record<string, string>;
  /** The answer to the first try, when it came before the kill. */
  first?: { status: number; text: string };
  /** Sent before the kill signal. */
  early: boolean;
}

for (const engine of engines()) {
  describe(`Idempotency-Keys across a kill -9 [${engine.name}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'mteja-keys-crash-'));
    const databaseUrl = engine.databaseUrl(dir);
    const env = { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'silent', MTEJA_DEMO: 'false' };
    let secret: string;
    before(async () => {
      const { stdout } = await mteja(
        ['business', 'create', '--name', 'Crash Keys', '--plan', 'enterprise', '--json'],
        env,
      );
      const made = JSON.parse(stdout);
      secret = made.credential.clientsecret;
      await mteja(['business', 'update', made.business._id, '--limits', '100000/1000000/10000000'], env);
    });
    after(async () => {
      await engine.cleanup(databaseUrl);
      rmSync(dir, { recursive: true, force: true });
    });

    const post = async (url: string, sent: Sent) => {
      const res = await fetch(`${url}${sent.path}`, {
        method: 'POST',
        headers: { authorization: secret, 'content-type': 'application/json', 'idempotency-key': sent.key },
        body: JSON.stringify(sent.body),
      });
      return { status: res.status, text: await res.text(), replayed: res.headers.get('idempotent-replayed') };
    };

    /** Keys sent before the kill and never answered, over every round. */
    let cutShort = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      it(`round ${round}: every key retried after the crash made exactly one record, and no retry is a 409`, async (t) => {
        const server = await spawnServe(env);
        const sent: Sent[] = [];
        let killed = false;
        let answered = 0;
        // Killed once a random number of creates have been answered. Each worker goes on sending until a request of
        // its own fails: the server may still answer, from its socket buffers, all it had written before it died (a
        // group commit answers its whole batch at once), so stopping at the kill could leave no key in flight.
        const killAfter = 20 + Math.floor(Math.random() * 60);
        const worker = async (w: number) => {
          for (let i = 0; ; i++) {
            const key = `r${round}-w${w}-${i}`;
            const customer = i % 2 === 0;
            const item: Sent = customer
              ? {
                  key,
                  path: '/business/customer/create',
                  body: {
                    name: key,
                    email: `${key}@example.com`,
                    phone: '+254700000000',
                    country: 'Kenya',
                    currency: 'KES',
                  },
                  early: !killed,
                }
              : { key, path: '/business/contact/create', body: { name: key }, early: !killed };
            sent.push(item);
            try {
              const res = await post(server.url, item);
              item.first = { status: res.status, text: res.text };
              assert.equal(res.status, 201, res.text);
              if (++answered === killAfter) {
                killed = true;
                server.child.kill('SIGKILL');
              }
            } catch (error) {
              if (!killed) throw error;
              // In flight when the process died: the retry decides.
              return;
            }
          }
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
        await server.exited;
        const unanswered = sent.filter((s) => !s.first).length;
        assert.ok(unanswered > 0, 'some keys were in flight at the kill');
        const cut = sent.filter((s) => !s.first && s.early).length;
        cutShort += cut;

        const again = await spawnServe(env);
        try {
          const retries = await Promise.all(sent.map((s) => post(again.url, s)));
          let replayed = 0;
          sent.forEach((s, i) => {
            const retry = retries[i];
            assert.equal(retry.status, 201, `${s.key}: ${retry.status} ${retry.text}`);
            if (s.first) {
              assert.equal(retry.replayed, 'true', `${s.key} was answered before the crash: its retry is a replay`);
              assert.equal(retry.text, s.first.text, `${s.key}: the replay is the stored response`);
            }
            if (retry.replayed) replayed++;
          });
          assert.ok(replayed >= sent.length - unanswered);
          t.diagnostic(
            `${sent.length} keys, ${unanswered} unanswered (${cut} sent before the kill), ${replayed} retries replayed`,
          );

          const database = await openDatabase(databaseUrl);
          try {
            const counts = new Map<string, number>();
            for (const table of ['customers', 'contacts'] as const) {
              const rows = await database.db
                .selectFrom(table)
                .select(['name', database.db.fn.countAll<number>().as('n')])
                .where('name', 'like', `r${round}-%`)
                .groupBy('name')
                .execute();
              for (const row of rows) counts.set(row.name, Number(row.n));
            }
            const wrong = sent.filter((s) => counts.get(s.key) !== 1).map((s) => `${s.key}: ${counts.get(s.key) ?? 0}`);
            assert.deepEqual(wrong, [], `records per key (of ${sent.length} keys, ${unanswered} in flight)`);
          } finally {
            await database.close();
          }
        } finally {
          again.child.kill('SIGTERM');
          await again.exited;
        }
      });
    }

    // A round can end with every request the server received answered (it wrote a whole group commit's answers just
    // before it died); over all rounds, some request must have been cut short by the kill, or nothing was tested.
    it('some round killed the server with requests under way', () => {
      assert.ok(cutShort > 0, 'no request sent before a kill went unanswered');
    });
  });
}
