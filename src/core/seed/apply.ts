/**
 * Turns a checked seed file into a {@link SeedPlan} and applies it in one store transaction.
 * Idempotent: ids are stable ({@link seedId}), a field is written only where the file changed it
 * since it last applied it (seed-memory.ts), and `dateModified` moves only for entities whose
 * content changed. A seed that disables a user or client ends their access as an admin's
 * disable does.
 */
import { brokenPasswordRule, passwordRequirementsOf } from '../admin/password-policy.js';
import type { Clock } from '../clock.js';
import { type Client, DEFAULT_IDLE_TOKEN_TIMEOUT, type Group, type IdleTokenTimeout, type Role, type User } from '../models.js';
import type { AdminPort } from '../ports/admin-port.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import type { IdentityProviderPort } from '../ports/identity-provider-port.js';
import { applyIdentityProviders, planIdentityProviders } from './identity-providers.js';
import { organizationSeedId, seedId } from './ids.js';
import type { OrganizationPlan, SeedPlan } from './plan.js';
import { planClient } from './plan-client.js';
import { collect, memoryOf, type Planning, sameContent } from './planning.js';
import type { OrganizationSeed, RoleSeed, SeedFile, UserSeed } from './schema.js';
import { canonical, FieldMemory } from './seed-memory.js';
import { normalForm } from '../normal-form.js';
import { parseSeed, SeedError } from './validate.js';

export interface SeedSummary {
  organizations: number;
  users: number;
  clients: number;
  /** Sign-in sessions and tokens ended because this seed disabled their user or client. */
  endedSessions: number;
  revokedTokens: number;
  /**
   * Fields the store holds differently from the file and keeps, because the file has not
   * changed them since it last applied them (an admin's change): `client <id> secret`.
   */
  kept: string[];
}

/** Parses, checks and applies a seed file's text; throws SeedError and writes nothing when it is bad. */
export async function applySeedText(store: AdminPort & DirectoryPort & IdentityProviderPort, clock: Clock, text: string): Promise<SeedSummary> {
  const seed = parseSeed(text);
  const providers = planIdentityProviders(seed, clock.now());
  const { plan, kept } = await planSeed(store, clock, seed);
  const ended = await store.applySeed(plan);
  await applyIdentityProviders(store, providers, clock);
  return {
    organizations: seed.organizations.length,
    users: seed.organizations.reduce((n, o) => n + (o.users?.length ?? 0), 0),
    clients: seed.organizations.reduce((n, o) => n + (o.clients?.length ?? 0), 0),
    ...ended,
    kept,
  };
}

export async function planSeed(store: AdminPort & DirectoryPort, clock: Clock, seed: SeedFile): Promise<{ plan: SeedPlan; kept: string[] }> {
  const planning: Planning = { store, now: clock.now(), applied: [], disables: { users: [], clients: [] }, kept: [] };
  const organizations: OrganizationPlan[] = [];
  for (const [o, org] of seed.organizations.entries()) organizations.push(await planOrganization(planning, org, `organizations[${o}]`));
  const { now: at, applied, disables, kept } = planning;
  return { plan: { organizations, applied, disables, at }, kept };
}

/**
 * The memory of a role or group. Until this release only a seed wrote them, so one the store has
 * but whose fields no seed application remembered yet takes the file's values (as before), where
 * a user or client would be adopted as stored (seed-memory.ts).
 */
async function directoryMemoryOf(planning: Planning, kind: 'role' | 'group', id: string, exists: boolean): Promise<FieldMemory> {
  const remembered = exists ? await planning.store.findSeedApplied(kind, id) : null;
  return new FieldMemory(kind, id, remembered && remembered.size > 0 ? remembered : null);
}

/**
 * A client name names one client of an organization, as the command line needs to find it by
 * name: a seed client whose name another client of the store has (one the API created: the API
 * allows a second client of one name, as Genesys does) is refused, naming the other's id.
 */
function refuseTakenClientNames(
  stored: readonly Client[],
  planned: readonly Client[],
  seeds: readonly { name: string }[],
  at: string,
  organization: string,
): void {
  const plannedIds = new Set(planned.map((client) => client.id));
  for (const client of planned) {
    const other = stored.find((s) => !plannedIds.has(s.id) && normalForm(s.name) === normalForm(client.name));
    if (other === undefined) continue;
    const i = seeds.findIndex((seed) => normalForm(seed.name) === normalForm(client.name));
    throw new SeedError(
      `${at}.clients[${i === -1 ? planned.indexOf(client) : i}].name`,
      `organization ${organization} already has another client named "${other.name}" (${other.id}): a client name must name one client; rename one of them`,
    );
  }
}

/** Resolves a list of names-or-ids against the entities of one organization. */
function resolver(entities: ReadonlyArray<{ id: string; name: string }>) {
  const byKey = new Map<string, string>();
  for (const e of entities) {
    byKey.set(e.name, e.id);
    byKey.set(e.id.toLowerCase(), e.id);
  }
  return (refs: string[] | undefined) => [...new Set((refs ?? []).map((ref) => byKey.get(ref) ?? byKey.get(ref.toLowerCase()) ?? ref))];
}

async function planOrganization(planning: Planning, seed: OrganizationSeed, at: string): Promise<OrganizationPlan> {
  const { store } = planning;
  const id = organizationSeedId(seed);
  const existing = await store.findOrganization(id);
  const plannedRoles: Array<Planned<Role>> = [];
  for (const r of seed.roles ?? []) plannedRoles.push(await planRole(planning, id, r));
  const storedGroups = seed.groups?.length ? await store.listGroups(id) : [];
  const plannedGroups: Array<Planned<Group>> = [];
  for (const g of seed.groups ?? []) plannedGroups.push(await planGroup(planning, id, g.id ?? seedId('group', id, g.name), g.name, storedGroups));
  const roles = present(plannedRoles);
  const groups = present(plannedGroups);
  // The file's own names resolve its references, whatever name an admin gave a role since; a
  // reference to one an admin deleted resolves to nothing.
  const roleIds = resolverOf(plannedRoles, seed.roles?.map((r) => r.name) ?? []);
  const groupIds = resolverOf(plannedGroups, seed.groups?.map((g) => g.name) ?? []);
  // The file names some of the timeout's fields; those are one remembered field, compared with the
  // stored timeout's same fields (PUT /api/v2/tokens/timeout is an admin's change that holds).
  const named = seed.idleTokenTimeout && { ...seed.idleTokenTimeout };
  if (named?.inactivityTimeoutGroupBundles)
    named.inactivityTimeoutGroupBundles = named.inactivityTimeoutGroupBundles.map((b) => ({ ...b, groups: groupIds(b.groups) }));
  const stored =
    existing &&
    (Object.fromEntries(Object.keys(named ?? {}).map((key) => [key, existing.idleTokenTimeout[key as keyof IdleTokenTimeout]])) as Partial<IdleTokenTimeout>);
  // The name is remembered since organizations could be renamed through the API (PUT /api/v2/organizations/me): an admin's rename holds.
  const memory = (await memoryOf(planning, 'organization', id, existing !== null)).addedLater(['name']);
  const name = memory.value('name', seed.name, existing?.name, seed.name);
  const timeoutFields = memory.value<Partial<IdleTokenTimeout>>('idleTokenTimeout', named, stored ?? undefined, {});
  collect(planning, 'organization', id, memory);
  const timeout = { ...(existing?.idleTokenTimeout ?? DEFAULT_IDLE_TOKEN_TIMEOUT), ...timeoutFields } as IdleTokenTimeout;
  const organization = { id, name, homeDivisionId: existing?.homeDivisionId ?? seedId('division', id), idleTokenTimeout: timeout };
  const users: User[] = [];
  for (const [i, u] of (seed.users ?? []).entries()) users.push(await planUser(planning, id, u, roleIds(u.roles), groupIds(u.groups), `${at}.users[${i}]`));
  const clients: Client[] = [];
  for (const c of seed.clients ?? []) {
    const client = await planClient(planning, organization, c, roleIds(c.roles));
    if (client) clients.push(client);
  }
  if (existing && clients.length > 0) refuseTakenClientNames(await store.listClients(id), clients, seed.clients ?? [], at, name);
  const divisions = (seed.divisions ?? []).map((d) => ({
    id: d.id ?? seedId('division', id, d.name),
    organizationId: id,
    name: d.name,
    description: d.description ?? null,
    home: false,
    dateCreated: planning.now,
  }));
  return { organization, roles, groups, divisions, users, clients };
}

/**
 * A role's name and permissions hold as an admin changed them (`tokend roles update`) until the
 * file changes them, as a client's fields do (seed-memory.ts).
 */
async function planRole(planning: Planning, organizationId: string, seed: RoleSeed): Promise<Planned<Role>> {
  const id = seed.id ?? seedId('role', organizationId, seed.name);
  const [existing] = await planning.store.findRoles([id]);
  if (!existing && (await deletedByAdmin(planning.store, 'role', id, { name: seed.name, permissions: seed.permissions }))) return { id, entity: null };
  const memory = await directoryMemoryOf(planning, 'role', id, existing !== undefined);
  const role: Role = {
    id,
    organizationId,
    name: memory.value('name', seed.name, existing?.name, seed.name),
    permissions: memory.value('permissions', seed.permissions, existing?.permissions, seed.permissions),
  };
  collect(planning, 'role', id, memory);
  return { id, entity: role };
}

/** A group's name holds as an admin changed it (`tokend groups update`) until the file changes it. */
async function planGroup(planning: Planning, organizationId: string, id: string, name: string, stored: readonly Group[]): Promise<Planned<Group>> {
  const existing = stored.find((g) => g.id === id);
  if (!existing && (await deletedByAdmin(planning.store, 'group', id, { name }))) return { id, entity: null };
  const memory = await directoryMemoryOf(planning, 'group', id, existing !== undefined);
  const group: Group = { id, organizationId, name: memory.value('name', name, existing?.name, name) };
  collect(planning, 'group', id, memory);
  return { id, entity: group };
}

/** A role or group the file names, and what the seed writes for it: null when an admin deleted it. */
interface Planned<T> {
  id: string;
  entity: T | null;
}

const present = <T>(planned: ReadonlyArray<Planned<T>>): T[] => planned.flatMap((p) => (p.entity === null ? [] : [p.entity]));

/** Resolves the file's references by its own names; one to a role or group an admin deleted names nothing. */
function resolverOf(planned: ReadonlyArray<Planned<unknown>>, fileNames: readonly string[]) {
  const resolve = resolver(planned.map((p, i) => ({ id: p.id, name: fileNames[i] ?? p.id })));
  const deleted = new Set(planned.filter((p) => p.entity === null).map((p) => p.id));
  return (refs: string[] | undefined) => resolve(refs).filter((id) => !deleted.has(id));
}

/**
 * A role or group an admin deleted (`tokend roles delete`, `groups delete`): the store no longer
 * has it, a seed applied it before, and the file names it as it did then. It stays deleted, as
 * a deleted client does; the file brings it back by changing it.
 */
async function deletedByAdmin(store: AdminPort & DirectoryPort, kind: 'role' | 'group', id: string, fields: Record<string, unknown>): Promise<boolean> {
  const remembered = await store.findSeedApplied(kind, id);
  if (remembered.size === 0) return false;
  return Object.entries(fields).every(([field, value]) => remembered.get(field) === (value === undefined ? null : canonical(value)));
}

/** The organization's password policy judges each password the seed writes (not one the store keeps). */
function passwordPolicy(planning: Planning, organizationId: string, at: string) {
  return async (password: string) => {
    const broken = brokenPasswordRule(password, await passwordRequirementsOf(planning.store, organizationId));
    if (broken) throw new SeedError(`${at}.password`, broken.message);
  };
}

async function planUser(planning: Planning, organizationId: string, seed: UserSeed, roleIds: string[], groupIds: string[], at: string): Promise<User> {
  const id = seed.id ?? seedId('user', organizationId, seed.email.toLowerCase());
  const existing = await planning.store.findUser(id);
  const memory = await memoryOf(planning, 'user', id, existing !== null);
  const user: User = {
    id,
    organizationId,
    name: memory.value('name', seed.name, existing?.name, seed.name),
    email: memory.value('email', seed.email, existing?.email, seed.email),
    passwordHash: await memory.secret('password', seed.password, existing?.passwordHash, passwordPolicy(planning, organizationId, at)),
    state: memory.value('state', seed.state, existing?.state, 'active'),
    roleIds: memory.value('roles', roleIds.sort(), existing?.roleIds, []),
    groupIds: memory.value('groups', groupIds.sort(), existing?.groupIds, []),
    dateCreated: existing?.dateCreated ?? planning.now,
    dateModified: planning.now,
  };
  collect(planning, 'user', id, memory);
  if (existing?.state === 'active' && user.state !== 'active') planning.disables.users.push(id);
  if (!existing) return user;
  // What the users API alone keeps (its version, the fields it answers back) is not the seed's to compare.
  const { version: _version, details: _details, ...seeded } = existing;
  return sameContent(seeded, user) ? { ...user, dateModified: existing.dateModified } : user;
}
