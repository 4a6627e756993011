// The one logger setup, for the server and its threads: pino at LOG_LEVEL, secrets redacted.
import { type Logger, pino } from 'pino';
import type { Config } from './config.js';

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino({
    level: config.LOG_LEVEL,
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.clientsecret'], censor: '[redacted]' },
  });
}
