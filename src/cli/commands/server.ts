/** `tokend serve` and `tokend seed`: run the server, fill its store from a seed file. */
import { readFile } from 'node:fs/promises';
import { configFromEnvironment } from '../../config.js';
import { type Command, stringValue } from '../args.js';
import { reportEnded } from '../admin-report.js';
import { CliError, printJson } from '../output.js';
import { DATABASE_URL_SECRET } from '../secret-input.js';

// The server, the seed code and the database drivers load only for the commands that need them:
// every other command starts in a fraction of the time.

const flags = (values: Record<string, unknown>, names: string[]) => Object.fromEntries(names.map((name) => [name, stringValue(values as never, name)]));

export const serveCommand: Command = {
  kind: 'command',
  name: 'serve',
  summary: 'Run the server (an empty store gets the demo seed only on loopback with the default file, or with --demo).',
  details:
    'Environment: PORT, HOST, TOKEND_DATABASE (a SQLite file or postgres://...), TOKEND_SEED, TOKEND_DEMO, TOKEND_LOG_LEVEL, TOKEND_RATE_LIMIT, TOKEND_PG_POOL_MAX and the other TOKEND_PG_* settings (docs/configuration.md). ' +
    'Before listening it opens, migrates and write-tests the store; a store, seed file, address or setting it cannot use stops it with exit code 1 and one line naming the setting and the cause. ' +
    'The demo seed (seed/demo.json) has published credentials: an empty store gets it when tokend listens on a loopback address with the default SQLite file, or when asked (--demo, TOKEND_DEMO=1); otherwise it stays empty.',
  example: 'tokend serve --port 8080 --seed ./seed/demo.json',
  options: {
    port: { type: 'string', value: 'N', description: 'port to listen on (PORT; default 8080)' },
    host: { type: 'string', value: 'H', description: 'IP address or hostname to listen on (HOST; default 127.0.0.1)' },
    database: {
      type: 'string',
      value: 'FILE|URL',
      description: 'a SQLite file path or a postgres:// or postgresql:// URL (TOKEND_DATABASE)',
      secret: DATABASE_URL_SECRET,
    },
    seed: { type: 'string', value: 'FILE', description: 'a seed file applied at start (TOKEND_SEED)' },
    'log-level': { type: 'string', value: 'LEVEL', description: 'fatal, error, warn, info, debug, trace or silent (TOKEND_LOG_LEVEL; default info)' },
    demo: { type: 'boolean', description: 'apply the demo seed, whose credentials are published, to an empty store wherever tokend listens (TOKEND_DEMO=1)' },
  },
  async run({ values }, io) {
    const [{ serve }, { demoAsked }] = await Promise.all([import('../serve.js'), import('../demo.js')]);
    const config = configFromEnvironment(io.env, flags(values, ['port', 'host', 'database', 'seed', 'log-level']));
    await serve(config, process.stdout, { demo: demoAsked(values.demo === true, io.env) });
    return 0;
  },
};

export const seedCommand: Command = {
  kind: 'command',
  name: 'seed',
  audited: true,
  summary: 'Apply a seed file to the store (all of it or nothing).',
  details:
    'A field is written where the file changed it since it last applied it, or for a new entity: a secret rotated, or a client or user disabled, by an admin stays so until the file changes that field.',
  example: 'tokend seed ./seed/demo.json --database ./data/tokend.db',
  args: ['<file>'],
  options: { database: { type: 'string', value: 'FILE|URL', description: 'a SQLite file or postgres:// URL (TOKEND_DATABASE)', secret: DATABASE_URL_SECRET } },
  async run({ values, positionals }, io) {
    const file = positionals[0] as string;
    const config = configFromEnvironment(io.env, flags(values, ['database']));
    const [{ openStore }, { storeRefusal, seedFileFailure }, { applySeedText }, { SeedError }, { systemClock }] = await Promise.all([
      import('../../store/open-store.js'),
      import('../startup-checks.js'),
      import('../../core/seed/apply.js'),
      import('../../core/seed/validate.js'),
      import('../../core/clock.js'),
    ]);
    // Read before the store is opened: a folder or a missing file is the person's mistake, said as one.
    const text = await readFile(file, 'utf8').catch((error: unknown) => {
      throw seedFileFailure(error, `the seed file ${file}`, 'tokend seed takes a seed file (JSON, such as seed/demo.json)');
    });
    const store = openStore(config.database, config.postgres);
    try {
      // A store that cannot be used is one line, as at serve's start: the setting, the cause, what to do.
      await store.migrate().catch((error: unknown) => {
        throw storeRefusal(config.settingNames?.database ?? 'TOKEND_DATABASE', config.database, error, config.postgres?.connectTimeoutMs);
      });
      const summary = await applySeedText(store, systemClock, text);
      printJson(io, { applied: file, ...summary });
      const kept = summary.kept.length;
      const after =
        kept === 0
          ? undefined
          : `kept ${kept} field${kept === 1 ? '' : 's'} changed in the store since the file last set ${kept === 1 ? 'it' : 'them'} (see "kept")`;
      reportEnded(io, `Applied ${file}`, summary, after);
    } catch (error) {
      if (error instanceof SeedError) throw new CliError(`seed refused, nothing was changed: ${error.message}`);
      throw error;
    } finally {
      await store.close();
    }
    return 0;
  },
};
