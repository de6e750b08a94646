/**
 * Parses and checks a seed file, all of it, before anything is written. The first problem is
 * reported with the path of the bad field (`organizations[0].clients[2].authorizedGrantType`).
 */
import { Value } from '@sinclair/typebox/value';
import { clientRuleViolation, type FieldNames, needsRedirectUri } from '../admin/client-rules.js';
import { nameProblem, permissionsProblem } from '../admin/directory-rules.js';
import { pointerToPath } from '../json-path.js';
import { ACCESS_TOKEN_VALIDITY } from '../models.js';
import { registerFormats } from './formats.js';
import { type SeedFile, SeedFileSchema } from './schema.js';
import { normalForm } from '../normal-form.js';

export class SeedError extends Error {
  readonly path: string;
  constructor(path: string, problem: string) {
    super(path ? `${path}: ${problem}` : problem);
    this.name = 'SeedError';
    this.path = path;
  }
}

/** How a seed file spells the client fields the shared rules name. */
const SEED_FIELD_NAMES: FieldNames = {
  authorizedGrantType: 'authorizedGrantType',
  roleDivisions: 'roles',
  scope: 'scope',
  registeredRedirectUri: 'redirect URI',
  accessTokenValiditySeconds: 'accessTokenValiditySeconds',
  preAuthorized: 'preAuthorized',
};

export function parseSeed(text: string): SeedFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SeedError('', `the seed is not valid JSON (${(error as Error).message})`);
  }
  return validateSeed(data);
}

export function validateSeed(data: unknown): SeedFile {
  registerFormats();
  const first = Value.Errors(SeedFileSchema, data).First();
  if (first) throw new SeedError(pointerToPath(first.path), describe(first.message, first.value, first.schema as { anyOf?: Array<{ const?: unknown }> }));
  const seed = data as SeedFile;
  checkUnique(seed);
  return seed;
}

function describe(message: string, value: unknown, schema: { anyOf?: Array<{ const?: unknown }> }): string {
  const shown = value === undefined ? '' : ` (got ${JSON.stringify(value)?.slice(0, 60)})`;
  const choices = schema.anyOf?.map((option) => option.const).filter((c) => typeof c === 'string');
  if (choices?.length) return `must be one of ${choices.join(', ')}${shown}`;
  return `${message.charAt(0).toLowerCase()}${message.slice(1)}${shown}`;
}

/** Names and ids must be unique within their kind; references must resolve within the organization. */
function checkUnique(seed: SeedFile): void {
  const ids = new Map<string, string>();
  const claimId = (id: string | undefined, path: string) => {
    if (id === undefined) return;
    const key = id.toLowerCase();
    const previous = ids.get(key);
    if (previous) throw new SeedError(path, `id ${id} is already used at ${previous}`);
    ids.set(key, path);
  };
  const orgNames = new Set<string>();
  seed.organizations.forEach((org, o) => {
    const at = `organizations[${o}]`;
    claimId(org.id, `${at}.id`);
    unique(orgNames, normalForm(org.name), `${at}.name`);
    const roles = new Set<string>();
    const groups = new Set<string>();
    const emails = new Set<string>();
    const clients = new Set<string>();
    const roleRefs = new Set<string>();
    const groupRefs = new Set<string>();
    org.roles?.forEach((r, i) => {
      claimId(r.id, `${at}.roles[${i}].id`);
      const blank = nameProblem(r.name);
      if (blank) throw new SeedError(`${at}.roles[${i}].name`, blank);
      const bad = permissionsProblem(r.permissions);
      if (bad) throw new SeedError(`${at}.roles[${i}].permissions[${bad.index}]`, bad.problem);
      unique(roles, r.name, `${at}.roles[${i}].name`);
      roleRefs.add(r.name);
      if (r.id) roleRefs.add(r.id.toLowerCase());
    });
    org.groups?.forEach((g, i) => {
      claimId(g.id, `${at}.groups[${i}].id`);
      const blank = nameProblem(g.name);
      if (blank) throw new SeedError(`${at}.groups[${i}].name`, blank);
      unique(groups, g.name, `${at}.groups[${i}].name`);
      groupRefs.add(g.name);
      if (g.id) groupRefs.add(g.id.toLowerCase());
    });
    const divisions = new Set<string>(['home']);
    org.divisions?.forEach((d, i) => {
      claimId(d.id, `${at}.divisions[${i}].id`);
      const blank = nameProblem(d.name);
      if (blank) throw new SeedError(`${at}.divisions[${i}].name`, blank);
      // The home division is every organization's own, named Home: a file names only the others.
      unique(divisions, normalForm(d.name), `${at}.divisions[${i}].name`);
    });
    org.users?.forEach((u, i) => {
      claimId(u.id, `${at}.users[${i}].id`);
      unique(emails, normalForm(u.email), `${at}.users[${i}].email`);
      resolves(u.roles, roleRefs, `${at}.users[${i}].roles`, 'role');
      resolves(u.groups, groupRefs, `${at}.users[${i}].groups`, 'group');
    });
    org.clients?.forEach((c, i) => {
      claimId(c.id, `${at}.clients[${i}].id`);
      // Any letter case: the command line finds a client by its name in any case.
      unique(clients, normalForm(c.name), `${at}.clients[${i}].name`);
      resolves(c.roles, roleRefs, `${at}.clients[${i}].roles`, 'role');
      // The file supplies secrets (the other doors generate them): only apps that sign people in through a browser may go without.
      if (c.secret === undefined && !needsRedirectUri(c.authorizedGrantType)) {
        throw new SeedError(`${at}.clients[${i}].secret`, `a ${c.authorizedGrantType} client needs a secret`);
      }
      const violation = clientRuleViolation(
        {
          authorizedGrantType: c.authorizedGrantType,
          roleCount: c.roles?.length ?? 0,
          scope: c.scope ?? [],
          registeredRedirectUri: c.registeredRedirectUri ?? [],
          accessTokenValiditySeconds: c.accessTokenValiditySeconds ?? ACCESS_TOKEN_VALIDITY.default,
          ...(c.preAuthorized === undefined ? {} : { preAuthorized: c.preAuthorized }),
        },
        SEED_FIELD_NAMES,
      );
      if (violation) throw new SeedError(`${at}.clients[${i}].${violation.field.replace(/^roleDivisions/, 'roles')}`, violation.message);
    });
    org.idleTokenTimeout?.inactivityTimeoutGroupBundles?.forEach((b, i) =>
      resolves(b.groups, groupRefs, `${at}.idleTokenTimeout.inactivityTimeoutGroupBundles[${i}].groups`, 'group'),
    );
  });
}

function unique(seen: Set<string>, value: string, path: string): void {
  if (seen.has(value)) throw new SeedError(path, `${JSON.stringify(value)} appears twice`);
  seen.add(value);
}

function resolves(refs: string[] | undefined, known: Set<string>, path: string, kind: string): void {
  refs?.forEach((ref, i) => {
    if (!known.has(ref) && !known.has(ref.toLowerCase()))
      throw new SeedError(`${path}[${i}]`, `no ${kind} named or with id ${JSON.stringify(ref)} in this organization`);
  });
}
