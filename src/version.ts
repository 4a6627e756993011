// mteja's own version, as package.json gives it (compiled to dist/src/, two levels below the package's root).
import { createRequire } from 'node:module';

export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
