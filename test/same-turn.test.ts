// Reads asked for in the same turn share one query (db/same-turn.ts, PostgreSQL's details and page versions): each
// caller gets its own answer, and never one from a query that began before it asked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SameTurn } from '../src/db/same-turn.js';

/** A SameTurn whose reads are logged and held until released, answering each input with `key:input`. */
function held() {
  const reads: { key: string; inputs: string[]; release(): void; fail(error: Error): void }[] = [];
  const turn = new SameTurn<string, string, string>(
    (key, inputs) =>
      new Promise((resolve, reject) => {
        reads.push({
          key,
          inputs,
          release: () => resolve(new Map(inputs.filter((i) => i !== 'missing').map((i) => [i, `${key}:${i}`]))),
          fail: reject,
        });
      }),
  );
  return { turn, reads };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('reads gathered in one turn (db/same-turn.ts)', () => {
  it('runs one read per key for the inputs asked in a turn, answering each caller its own', async () => {
    const { turn, reads } = held();
    const asked = [
      turn.ask('a', 'a', '1'),
      turn.ask('a', 'a', '2'),
      turn.ask('a', 'a', '1'),
      turn.ask('b', 'b', '1'),
      turn.ask('a', 'a', 'missing'),
    ];
    await nextTurn();
    assert.deepEqual(
      reads.map((r) => [r.key, r.inputs]),
      [
        ['a', ['1', '2', 'missing']],
        ['b', ['1']],
      ],
    );
    for (const read of reads) read.release();
    assert.deepEqual(await Promise.all(asked), ['a:1', 'a:2', 'a:1', 'b:1', undefined]);
  });

  it('gives each caller of the same input its own copy of a row', async () => {
    const turn = new SameTurn<string, string, { id: string; name: string }>(
      async (_key, inputs) => new Map(inputs.map((id) => [id, { id, name: 'Achieng' }])),
    );
    const [first, second] = await Promise.all([turn.ask('a', 'a', '1'), turn.ask('a', 'a', '1')]);
    assert.deepEqual(first, second);
    first!.name = 'Changed by its caller';
    assert.equal(second!.name, 'Achieng');
  });

  it('never joins a read that began before the ask: it waits for a read of its own', async () => {
    const { turn, reads } = held();
    const first = turn.ask('a', 'a', '1');
    await nextTurn();
    assert.equal(reads.length, 1, 'the first read is under way');
    const later = turn.ask('a', 'a', '1');
    await nextTurn();
    assert.equal(reads.length, 2, 'an ask made while it ran started a read of its own');
    reads[1].release();
    assert.equal(await later, 'a:1');
    reads[0].release();
    assert.equal(await first, 'a:1');
  });

  it('fails the callers of a failed read, and only them', async () => {
    const { turn, reads } = held();
    const failing = [turn.ask('a', 'a', '1'), turn.ask('a', 'a', '2')];
    const other = turn.ask('b', 'b', '1');
    await nextTurn();
    reads[0].fail(new Error('connection reset'));
    reads[1].release();
    for (const ask of failing) await assert.rejects(ask, /connection reset/);
    assert.equal(await other, 'b:1');
  });

  it('splits a turn of many inputs into reads of at most 200', async () => {
    const { turn, reads } = held();
    const inputs = Array.from({ length: 450 }, (_, i) => String(i));
    const asked = inputs.map((input) => turn.ask('a', 'a', input));
    await nextTurn();
    assert.deepEqual(
      reads.map((r) => r.inputs.length),
      [200, 200, 50],
    );
    for (const read of reads) read.release();
    assert.deepEqual(
      await Promise.all(asked),
      inputs.map((input) => `a:${input}`),
    );
  });
});
