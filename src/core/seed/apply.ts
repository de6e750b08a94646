/**
 * Turns a checked seed file into a {@link SeedPlan} and applies it in one store transaction.
 * Idempotent: ids are stable ({@link seedId}), secrets that still verify keep their stored hash,
 * and `dateModified` moves only for entities whose content changed.
 */
import type { Clock } from '../clock.js';
import { ACCESS_TOKEN_VALIDITY, type Client, DEFAULT_IDLE_TOKEN_TIMEOUT, type Group, type IdleTokenTimeout, type Role, type User } from '../models.js';
import { hashSecret, verifySecret } from '../secrets.js';
import type { Store } from '../../store/store.js';
import { seedId } from './ids.js';
import type { OrganizationPlan, SeedPlan } from './plan.js';
import type { ClientSeed, OrganizationSeed, SeedFile, UserSeed } from './schema.js';
import { parseSeed } from './validate.js';

export interface SeedSummary {
  organizations: number;
  users: number;
  clients: number;
}

/** Parses, checks and applies a seed file's text; throws SeedError and writes nothing when it is bad. */
export async function applySeedText(store: Store, clock: Clock, text: string): Promise<SeedSummary> {
  const seed = parseSeed(text);
  await store.applySeed(await planSeed(store, clock, seed));
  return {
    organizations: seed.organizations.length,
    users: seed.organizations.reduce((n, o) => n + (o.users?.length ?? 0), 0),
    clients: seed.organizations.reduce((n, o) => n + (o.clients?.length ?? 0), 0),
  };
}

export async function planSeed(store: Store, clock: Clock, seed: SeedFile): Promise<SeedPlan> {
  const organizations: OrganizationPlan[] = [];
  for (const org of seed.organizations) organizations.push(await planOrganization(store, clock.now(), org));
  return { organizations };
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

async function planOrganization(store: Store, now: number, seed: OrganizationSeed): Promise<OrganizationPlan> {
  const id = seed.id ?? seedId('organization', seed.name);
  const existing = await store.findOrganization(id);
  const roles: Role[] = (seed.roles ?? []).map((r) => ({ id: r.id ?? seedId('role', id, r.name), organizationId: id, name: r.name, permissions: r.permissions }));
  const groups: Group[] = (seed.groups ?? []).map((g) => ({ id: g.id ?? seedId('group', id, g.name), organizationId: id, name: g.name }));
  const roleIds = resolver(roles);
  const groupIds = resolver(groups);
  const timeout: IdleTokenTimeout = { ...(existing?.idleTokenTimeout ?? DEFAULT_IDLE_TOKEN_TIMEOUT), ...seed.idleTokenTimeout } as IdleTokenTimeout;
  timeout.inactivityTimeoutGroupBundles = timeout.inactivityTimeoutGroupBundles.map((b) => ({ ...b, groups: groupIds(b.groups) }));
  const organization = { id, name: seed.name, homeDivisionId: existing?.homeDivisionId ?? seedId('division', id), idleTokenTimeout: timeout };
  const users: User[] = [];
  for (const u of seed.users ?? []) users.push(await planUser(store, now, id, u, roleIds(u.roles), groupIds(u.groups)));
  const clients: Client[] = [];
  for (const c of seed.clients ?? []) clients.push(await planClient(store, now, organization, c, roleIds(c.roles)));
  return { organization, roles, groups, users, clients };
}

/** The stored hash if `secret` still verifies against it, a new hash otherwise (null: no secret). */
async function keepOrHash(secret: string | undefined, stored: string | null | undefined): Promise<string | null> {
  if (secret === undefined) return stored ?? null;
  if (stored && (await verifySecret(secret, stored))) return stored;
  return hashSecret(secret);
}

async function planUser(store: Store, now: number, organizationId: string, seed: UserSeed, roleIds: string[], groupIds: string[]): Promise<User> {
  const id = seed.id ?? seedId('user', organizationId, seed.email.toLowerCase());
  const existing = await store.findUser(id);
  const user: User = {
    id,
    organizationId,
    name: seed.name,
    email: seed.email,
    passwordHash: await keepOrHash(seed.password, existing?.passwordHash),
    state: seed.state ?? 'active',
    roleIds: roleIds.sort(),
    groupIds: groupIds.sort(),
    dateCreated: existing?.dateCreated ?? now,
    dateModified: now,
  };
  return existing && sameContent(existing, user) ? { ...user, dateModified: existing.dateModified } : user;
}

async function planClient(
  store: Store,
  now: number,
  organization: { id: string; homeDivisionId: string },
  seed: ClientSeed,
  roleIds: string[],
): Promise<Client> {
  const id = seed.id ?? seedId('client', organization.id, seed.name);
  const existing = await store.findClient(id);
  const client: Client = {
    id,
    organizationId: organization.id,
    name: seed.name,
    secretHash: await keepOrHash(seed.secret, existing?.secretHash),
    authorizedGrantType: seed.authorizedGrantType,
    scope: seed.scope ?? [],
    registeredRedirectUri: seed.registeredRedirectUri ?? [],
    roleDivisions: roleIds.sort().map((roleId) => ({ roleId, divisionId: organization.homeDivisionId })),
    accessTokenValiditySeconds: seed.accessTokenValiditySeconds ?? ACCESS_TOKEN_VALIDITY.default,
    state: seed.state ?? 'active',
    dateCreated: existing?.dateCreated ?? now,
    dateModified: now,
    createdBy: existing?.createdBy ?? null,
    modifiedBy: existing?.modifiedBy ?? null,
    dateToDelete: existing?.dateToDelete ?? null,
  };
  return existing && sameContent(existing, client) ? { ...client, dateModified: existing.dateModified } : client;
}

function sameContent<T extends { dateModified: number }>(a: T, b: T): boolean {
  return JSON.stringify({ ...a, dateModified: 0 }) === JSON.stringify({ ...b, dateModified: 0 });
}
