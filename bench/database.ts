// Where a benchmark's server keeps its data: a fresh SQLite file in `dir`, or with `--engine postgres` a fresh schema
// of BENCH_DATABASE_URL (drop it after with dropSchema).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export function benchDatabaseUrl(engine: string | undefined, dir: string): string {
  if (engine === 'sqlite') return `sqlite:${join(dir, 'bench.db')}`;
  if (engine !== 'postgres') throw new Error('--engine must be sqlite or postgres');
  const base = process.env.BENCH_DATABASE_URL;
  if (!base)
    throw new Error('--engine postgres needs BENCH_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test');
  const url = new URL(base);
  url.searchParams.set('schema', `mteja_bench_${randomBytes(4).toString('hex')}`);
  return url.toString();
}
