/**
 * Whether this file's PostgreSQL tests run: skipped (with the reason printed) when no server
 * answers, failed under CI; and the multi-node and outage tests run once, under `npm test`,
 * not again when `npm run test:postgres` repeats the whole suite on PostgreSQL.
 */
import { postgresUnavailable } from '../helpers/postgres.js';

export async function pgSkip(options: { once?: boolean } = {}): Promise<string | false> {
  if (options.once && process.env.TOKEND_TEST_DATABASE === 'postgres') return 'already run by npm test';
  return (await postgresUnavailable()) ?? false;
}
