// Configuration: one schema over process.env, checked once at start; every problem is listed.
import { Type, type Static } from 'typebox';
import { compileSchema } from './http/validation.js';

const LogLevel = Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000, description: 'TCP port the HTTP server listens on' }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1', description: 'Interface to listen on (0.0.0.0 for all)' }),
  DATABASE_URL: Type.String({
    pattern: '^(sqlite:|postgres://|postgresql://)',
    default: 'sqlite:./data/mteja.db',
    description: 'sqlite:PATH for the embedded store',
  }),
  LOG_LEVEL: Type.Union([LogLevel], { default: 'info' }),
  MTEJA_DEMO: Type.Boolean({ default: true, description: 'Create a demo business when the database has none' }),
});

export type Config = Readonly<Static<typeof ConfigSchema>>;

const check = compileSchema(ConfigSchema, { coerce: true });

export class ConfigError extends Error {}

/** Reads the configuration from an environment (process.env by default); throws ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const problems = check(raw);
  if (problems) {
    const lines = Object.entries(problems).map(([key, message]) => `  ${key}: ${message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (/^postgres(ql)?:\/\//.test(raw.DATABASE_URL as string)) {
    throw new ConfigError('Invalid configuration:\n  DATABASE_URL: PostgreSQL is not supported yet; use sqlite:PATH');
  }
  return Object.freeze(raw as Config);
}
