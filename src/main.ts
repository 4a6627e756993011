#!/usr/bin/env node
// Process entry: hands argv to the CLI and exits with its code (serve keeps running until a signal).
import { runCli } from './cli/index.js';

const code = await runCli(process.argv.slice(2));
if (code !== 0 || process.argv[2] !== 'serve') process.exitCode = code;
