// CLI output: plain text for people, one JSON object for programs, errors to stderr with an exit code.

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** A usage mistake: exit code 2, as command-line tools conventionally use. */
export const usage = (message: string) => new CliError(message, 2);

export function printJson(value: unknown) {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printTable(rows: Record<string, unknown>[], columns: string[]) {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(columns.map((c) => c.toUpperCase()))}\n`);
  for (const row of rows) process.stdout.write(`${line(columns.map((c) => String(row[c] ?? '')))}\n`);
}

/** Turns validation problems (field -> message) into one CLI error. */
export function invalidInput(problems: Record<string, string>, flags: Record<string, string> = {}) {
  const lines = Object.entries(problems).map(([field, message]) => `  --${flags[field] ?? field}: ${message}`);
  return new CliError(`Invalid input:\n${lines.join('\n')}`, 2);
}
