/**
 * The admin commands act on the server's own store (the same TOKEND_DATABASE), not over HTTP,
 * through the same core the server wires (core/services.ts, `createCore`): its admin cores and
 * reads, never the store itself. A running server sees their changes on its next request:
 * SQLite's `data_version` or PostgreSQL's notifications make it drop its caches.
 */
import { existsSync } from 'node:fs';
import { DEFAULTS, refuseMisspeltVariables } from '../config.js';
import { systemClock } from '../core/clock.js';
import { createCore, type Services } from '../core/services.js';
import { ApiError } from '../core/errors.js';
import type { Organization, Role } from '../core/models.js';
import { checkDatabaseSetting, isPostgresUrl } from '../store/database-location.js';
import { pgSettingsFromEnvironment } from '../store/postgres/pg-settings.js';
import { type OptionSection, stringValue, type Values } from './args.js';
import { CliError } from './output.js';
import { DATABASE_URL_SECRET } from './secret-input.js';

export const DATABASE_SECTION: OptionSection = {
  title: 'Store',
  options: {
    database: {
      type: 'string',
      value: 'FILE|URL',
      description: `the server's store: a SQLite file or postgres:// URL (TOKEND_DATABASE; default ${DEFAULTS.database})`,
      secret: DATABASE_URL_SECRET,
    },
  },
};

/** A command's process reads a handful of entities once: a small cache is all it needs. */
const COMMAND_TOKEN_CACHE_SIZE = 100;

/**
 * The store a command names (`--database`, else TOKEND_DATABASE, else the default), checked as
 * `serve` checks it: a misspelt TOKEND_* variable, or a value that is neither a file path nor a
 * postgres:// URL (`postgress://`), is refused naming it. `setting` is what the person set.
 */
export function databaseSetting(values: Values, env: NodeJS.ProcessEnv): { database: string; setting: string } {
  refuseMisspeltVariables(env);
  const flag = stringValue(values, 'database') || undefined;
  const setting = flag === undefined ? 'TOKEND_DATABASE' : '--database';
  return { setting, database: checkDatabaseSetting(setting, flag ?? (env.TOKEND_DATABASE || DEFAULTS.database)) };
}

/**
 * Opens the store, wires core over it, runs `act`, and closes the store whatever happens. A
 * store that cannot be opened is one line naming the setting, the cause and what to do, as at
 * `serve`'s start (startup-checks.ts). The admin core's refusals (ApiError: a duplicate email,
 * an unknown id) already say what is wrong: they become one line.
 */
export async function withCore<T>(values: Values, env: NodeJS.ProcessEnv, act: (core: Services) => Promise<T>): Promise<T> {
  const { database, setting } = databaseSetting(values, env);
  // Opening a SQLite path creates the file: a typo would give an empty store and a confusing "not found".
  if (!isPostgresUrl(database) && database !== ':memory:' && !existsSync(database)) {
    throw new CliError(`no database at ${database}: pass --database or set TOKEND_DATABASE to the store the server uses`);
  }
  // Loaded here, not at the top: the drivers take most of a second to load, which the
  // commands that do not touch the store should not pay.
  const { openUsableStore } = await import('./startup-checks.js');
  const store = await openUsableStore(setting, database, pgSettingsFromEnvironment(env));
  try {
    return await act(createCore(store, { clock: systemClock, tokenCacheSize: COMMAND_TOKEN_CACHE_SIZE }));
  } catch (error) {
    if (error instanceof ApiError) throw new CliError(error.message);
    throw error;
  } finally {
    await store.close();
  }
}

/** `--org` takes an organization id or its name (any case). */
export async function findOrganization(core: Services, reference: string): Promise<Organization> {
  const organization = await core.reads.organization(reference);
  if (!organization) throw new CliError(`no organization with the id or name "${reference}"`);
  return organization;
}

/** `--role` takes role ids or names of the organization; an unknown one names the choices. */
export async function findRoles(core: Services, organization: Organization, references: string[]): Promise<Role[]> {
  if (references.length === 0) return [];
  const roles = await core.reads.roles(organization.id);
  const found = references.map((reference) => {
    const lower = reference.toLowerCase();
    return roles.find((role) => role.id.toLowerCase() === lower || role.name === reference) ?? roles.find((role) => role.name.toLowerCase() === lower);
  });
  const missing = references.filter((_, i) => found[i] === undefined);
  if (missing.length > 0) {
    const choices = roles.map((role) => role.name).join(', ') || 'none';
    throw new CliError(`no role ${missing.map((m) => `"${m}"`).join(', ')} in organization ${organization.name} (roles: ${choices})`);
  }
  return [...new Map((found as Role[]).map((role) => [role.id, role])).values()];
}

/** ISO-8601, as the API shows dates. */
export const isoDate = (epochMs: number): string => new Date(epochMs).toISOString();
