// `mteja users create|list|password`: the staff who sign in to a business's dashboard. Passwords are typed at a
// prompt (never echoed) or generated and printed once; only their scrypt hash is kept.
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { generatePassword } from '../dashboard/passwords.js';
import { createUser, listUsers, PASSWORD_MIN, setActive, setPassword, UserCreate } from '../dashboard/users.store.js';
import { compileSchema } from '../http/validation.js';
import { getBusiness } from '../modules/business/business.store.js';
import { withDatabase } from './database.js';
import { CliError, invalidInput, printJson, printTable, usage } from './output.js';

const checkUser = compileSchema(UserCreate);
const USAGE = [
  'usage: mteja users create --business ID --email EMAIL [--name NAME] [--generate] [--json]',
  '       mteja users list --business ID [--json]',
  '       mteja users password --email EMAIL [--generate]',
  '       mteja users disable|enable --email EMAIL',
].join('\n');

export async function usersCommand(args: string[], config: Config) {
  const [action, ...rest] = args;
  if (action === 'create') return create(rest, config);
  if (action === 'list') return list(rest, config);
  if (action === 'password') return password(rest, config);
  if (action === 'disable' || action === 'enable') return toggle(rest, config, action === 'enable');
  throw usage(USAGE);
}

/** Reads a line from the terminal without echoing it. */
function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let line = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          resolve(line);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new CliError('Cancelled', 130));
          return;
        }
        if (ch === '\u007f' || ch === '\b') line = line.slice(0, -1);
        else line += ch;
      }
    };
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

/** A password typed twice at a terminal (empty for a generated one), or generated when there is no terminal or with --generate. */
async function choosePassword(generate: boolean): Promise<{ password: string; generated: boolean }> {
  if (generate || !process.stdin.isTTY) return { password: generatePassword(), generated: true };
  for (;;) {
    const first = await readHidden(`Password (at least ${PASSWORD_MIN} characters; empty to generate one): `);
    if (first === '') return { password: generatePassword(), generated: true };
    if (first.length < PASSWORD_MIN) {
      process.stderr.write(`Too short: at least ${PASSWORD_MIN} characters.\n`);
      continue;
    }
    if ((await readHidden('Again: ')) === first) return { password: first, generated: false };
    process.stderr.write('The two did not match; once more.\n');
  }
}

async function create(args: string[], config: Config) {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      business: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      generate: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  if (!values.business || !values.email) throw usage(`--business and --email are required\n${USAGE}`);
  const probe = checkUser({ email: values.email.trim(), name: values.name, password: 'x'.repeat(PASSWORD_MIN) });
  if (probe) throw invalidInput(probe);
  const business = await withDatabase(config, (db) => getBusiness(db, values.business!));
  if (!business) throw new CliError(`No business with id ${values.business}`);
  const { password, generated } = await choosePassword(Boolean(values.generate) || Boolean(values.json));
  const user = await withDatabase(config, (db) =>
    createUser(db, business._id, { email: values.email!.trim(), name: values.name, password }),
  );
  if (values.json) {
    printJson({ user, password });
    return;
  }
  process.stdout.write(`Created user ${user.email} for "${business.name}". They sign in at /dashboard.\n`);
  if (generated) process.stdout.write(`Password: ${password}\nThe password is shown only now; pass it on safely.\n`);
}

async function list(args: string[], config: Config) {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { business: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (!values.business) throw usage(`--business is required\n${USAGE}`);
  const users = await withDatabase(config, (db) => listUsers(db, values.business!));
  if (values.json) printJson(users);
  else
    printTable(
      users.map((u) => ({ ...u, status: u.active ? 'active' : 'disabled' })),
      ['_id', 'email', 'name', 'status', 'lastsigninat', 'createdat'],
    );
}

/** A staff member who leaves is disabled: their sessions end at once and they cannot sign in until enabled. */
async function toggle(args: string[], config: Config, active: boolean) {
  const { values } = parseArgs({ args, strict: true, options: { email: { type: 'string' } } });
  if (!values.email) throw usage(`--email is required\n${USAGE}`);
  if (!(await withDatabase(config, (db) => setActive(db, values.email!, active))))
    throw new CliError(`No user with email ${values.email}`);
  process.stdout.write(
    active ? `${values.email} can sign in again.\n` : `${values.email} is disabled; their sessions have ended.\n`,
  );
}

async function password(args: string[], config: Config) {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { email: { type: 'string' }, generate: { type: 'boolean' } },
  });
  if (!values.email) throw usage(`--email is required\n${USAGE}`);
  const chosen = await choosePassword(Boolean(values.generate));
  if (!(await withDatabase(config, (db) => setPassword(db, values.email!, chosen.password))))
    throw new CliError(`No user with email ${values.email}`);
  process.stdout.write(`Password changed for ${values.email}; their sessions have ended.\n`);
  if (chosen.generated) process.stdout.write(`Password: ${chosen.password}\n`);
}
