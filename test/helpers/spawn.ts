// `mteja serve` as its own process, for the tests that kill, restart or cut off a real server.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const BIN = fileURLToPath(new URL('../../../bin/mteja.js', import.meta.url));

const execFileAsync = promisify(execFile);

/** Runs one `mteja` command to its end; rejects when it exits non-zero. */
export function mteja(args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return execFileAsync(process.execPath, [BIN, ...args], { env });
}

export interface Served {
  child: ChildProcess;
  url: string;
  port: number;
  /** Resolves with the exit code when the process ends: a crash is seen, not hidden. */
  exited: Promise<number | null>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM (unless it has already exited), then waits for the exit. */
  stop(): Promise<number | null>;
}

/** Starts `mteja serve` with `env` (set PORT=0) and resolves once it prints the address it listens on. */
export async function spawnServe(env: NodeJS.ProcessEnv): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      out += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    void exited.then(() => reject(new Error(`mteja serve exited early: ${out}`)));
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return { child, url, port: Number(new URL(url).port), exited, output: () => out, stop };
}
