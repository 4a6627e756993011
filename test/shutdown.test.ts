// Graceful shutdown: on SIGTERM or SIGINT the server stops accepting, finishes what is in flight, and closes the database.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { connect as openDatabase } from '../src/db/connect.js';
import { engines } from './helpers/server.js';
import { mteja, spawnServe } from './helpers/spawn.js';

const cases = [
  ...(['SIGTERM', 'SIGINT'] as const).map((signal) => ({ signal, engine: engines()[0] })),
  ...engines()
    .slice(1)
    .map((engine) => ({ signal: 'SIGTERM' as const, engine })),
];

for (const { signal, engine } of cases) {
  describe(`mteja serve on ${signal} [${engine.name}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'mteja-shutdown-'));
    const databaseUrl = engine.databaseUrl(dir);
    const env = { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'silent', MTEJA_DEMO: 'false' };
    after(async () => {
      await engine.cleanup(databaseUrl);
      rmSync(dir, { recursive: true, force: true });
    });

    it('finishes a request in flight, refuses new connections, exits 0 and closes the database', async () => {
      const { stdout } = await mteja(['business', 'create', '--name', 'Shutdown', '--json'], env);
      const secret = JSON.parse(stdout).credential.clientsecret;
      const { child, port, exited } = await spawnServe(env);

      // A request whose body has not fully arrived is in flight: the server has it and must finish it.
      const body = JSON.stringify({
        name: 'In Flight',
        email: 'inflight@example.com',
        phone: '+254700000000',
        country: 'Kenya',
        currency: 'KES',
      });
      const socket = connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      let response = '';
      socket.on('data', (chunk) => (response += chunk));
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.write(
        `POST /business/customer/create HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${secret}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));

      child.kill(signal);
      const signalled = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await assert.rejects(
        fetch(`http://127.0.0.1:${port}/business/customer/list`, { headers: { authorization: secret } }),
        'new connections are refused while draining',
      );

      // The rest of the body, as a keep-alive client sends it (no half-close): the answer must still come.
      socket.write(body.slice(10));
      await closed;
      assert.match(response, /^HTTP\/1\.1 201 /, response);
      assert.match(response, /\r\nconnection: close\r\n/i, 'an answer sent while draining ends its connection');
      assert.equal(await exited, 0);
      // Nothing is left once that answer is out: a process manager's stop timeout (often 10-30 s) is never reached,
      // as it was while keep-alive connections held the drain for Fastify's whole keep-alive timeout (72 s).
      const drained = performance.now() - signalled;
      assert.ok(drained < 10_000, `exited ${Math.round(drained)} ms after the signal`);

      if (engine.name === 'sqlite') {
        const file = databaseUrl.slice('sqlite:'.length);
        assert.equal(
          existsSync(`${file}-wal`),
          false,
          'the database was closed cleanly (its WAL checkpointed and removed)',
        );
      }
      const database = await openDatabase(databaseUrl);
      const row = await database.db
        .selectFrom('customers')
        .select('name')
        .where('email', '=', 'inflight@example.com')
        .executeTakeFirst();
      await database.close();
      assert.equal(row?.name, 'In Flight', 'the acknowledged write is stored');
    });
  });
}
