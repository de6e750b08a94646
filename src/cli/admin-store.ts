/**
 * The admin commands act on the server's own store (the same TOKEND_DATABASE), not over HTTP.
 * A running server sees their changes on its next request: SQLite's `data_version` or
 * PostgreSQL's notifications make it drop its caches.
 */
import { existsSync } from 'node:fs';
import { DEFAULTS } from '../config.js';
import { systemClock } from '../core/clock.js';
import { ApiError } from '../core/errors.js';
import type { Organization, Role } from '../core/models.js';
import { pgSettingsFromEnvironment } from '../store/postgres/pg-settings.js';
import type { Store } from '../store/store.js';
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

/**
 * Opens the store, runs `act`, and closes the store whatever happens. The admin core's refusals
 * (ApiError: a duplicate email, an unknown id) already say what is wrong: they become one line.
 */
export async function withStore<T>(values: Values, env: NodeJS.ProcessEnv, act: (store: Store) => Promise<T>): Promise<T> {
  const database = stringValue(values, 'database') || env.TOKEND_DATABASE || DEFAULTS.database;
  const isPostgres = /^postgres(ql)?:\/\//.test(database);
  // Opening a SQLite path creates the file: a typo would give an empty store and a confusing "not found".
  if (!isPostgres && database !== ':memory:' && !existsSync(database)) {
    throw new CliError(`no database at ${database}: pass --database or set TOKEND_DATABASE to the store the server uses`);
  }
  // Loaded here, not at the top: the drivers take most of a second to load, which the
  // commands that do not touch the store should not pay.
  const { openStore } = await import('../store/open-store.js');
  const store = openStore(database, pgSettingsFromEnvironment(env));
  try {
    await store.migrate();
    return await act(store);
  } catch (error) {
    if (error instanceof ApiError) throw new CliError(error.message);
    throw error;
  } finally {
    await store.close();
  }
}

/** The admin core's dependencies in the command line: the store and the wall clock; no caches of its own to drop. */
export const adminOf = (store: Store) => ({ store, clock: systemClock });

/** `--org` takes an organization id or its name (any case). */
export async function findOrganization(store: Store, reference: string): Promise<Organization> {
  const organization = (await store.findOrganization(reference)) ?? (await store.findOrganizationByName(reference));
  if (!organization) throw new CliError(`no organization with the id or name "${reference}"`);
  return organization;
}

/** `--role` takes role ids or names of the organization; an unknown one names the choices. */
export async function findRoles(store: Store, organization: Organization, references: string[]): Promise<Role[]> {
  if (references.length === 0) return [];
  const roles = await store.listRoles(organization.id);
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
