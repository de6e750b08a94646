#!/usr/bin/env node
/** The `tokend` command: `serve` and `seed` (more subcommands register in commands.ts). */
import { runCli } from './commands.js';

process.exitCode = await runCli(process.argv.slice(2), process.env);
