/** Dispatches `tokend <command>`; each command returns its exit code. */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { configFromEnvironment } from '../config.js';
import { systemClock } from '../core/clock.js';
import { applySeedText } from '../core/seed/apply.js';
import { SeedError } from '../core/seed/validate.js';
import { openStore } from '../store/open-store.js';
import { serve } from './serve.js';

const USAGE = `Usage: tokend <command> [options]

Commands:
  serve [--port N] [--host H] [--database FILE] [--seed FILE]   run the server
  seed FILE [--database FILE]                                    apply a seed file to the store

Environment: PORT, HOST, TOKEND_DATABASE (a SQLite file or postgres://...), TOKEND_SEED, TOKEND_LOG_LEVEL,
  TOKEND_RATE_LIMIT, TOKEND_PG_POOL_MAX and the other TOKEND_PG_* settings (README)

Example:
  tokend serve --port 8080 --seed ./seed/demo.json
`;

export async function runCli(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve': {
        const { values } = parseArgs({ args: rest, options: { port: { type: 'string' }, host: { type: 'string' }, database: { type: 'string' }, seed: { type: 'string' }, 'log-level': { type: 'string' } } });
        await serve(configFromEnvironment(env, values));
        return 0;
      }
      case 'seed': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { database: { type: 'string' } } });
        const file = positionals[0];
        if (!file || positionals.length > 1) throw new UsageError('tokend seed takes exactly one FILE');
        const config = configFromEnvironment(env, values);
        const store = openStore(config.database, config.postgres);
        try {
          await store.migrate();
          const summary = await applySeedText(store, systemClock, await readFile(file, 'utf8'));
          process.stdout.write(`${JSON.stringify({ applied: file, ...summary })}\n`);
        } finally {
          await store.close();
        }
        return 0;
      }
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE);
        return command === undefined ? 1 : 0;
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`tokend: ${(error as Error).message}\n\n${USAGE}`);
      return 1;
    }
    const message = error instanceof SeedError ? `seed refused, nothing was changed: ${error.message}` : (error as Error).message;
    process.stderr.write(`tokend: ${message}\n`);
    return 1;
  }
}

export class UsageError extends Error {}
