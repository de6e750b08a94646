/** Small domain objects for the store suite, built directly (no seed file, no slow hashing). */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  type Client,
  DEFAULT_IDLE_TOKEN_TIMEOUT,
  type GroupRecord,
  type Organization,
  type Role,
  type TokenRecord,
  type User,
  type UserRecord,
} from '../../src/core/models.js';
import type { SeedPlan } from '../../src/core/seed/plan.js';
import type { AdminPort } from '../../src/core/ports/admin-port.js';

export const T0 = Date.UTC(2026, 0, 1, 12);

export interface World {
  organization: Organization;
  role: Role;
  groupId: string;
  user: User;
  client: Client;
  plan: SeedPlan;
}

/** One organization with a role, a group, a user and a client, under fresh ids. */
export function world(): World {
  const organization: Organization = {
    id: randomUUID(),
    name: `org-${randomUUID()}`,
    homeDivisionId: randomUUID(),
    idleTokenTimeout: { ...DEFAULT_IDLE_TOKEN_TIMEOUT },
    // As the store reads it back: a new organization is at version 1 and keeps no field yet.
    version: 1,
    details: {},
  };
  const role: Role = { id: randomUUID(), organizationId: organization.id, name: 'Token admin', permissions: ['oauth:token:delete'] };
  const groupId = randomUUID();
  const user = userOf(organization.id, { roleIds: [role.id], groupIds: [groupId] });
  const client = clientOf(organization.id, { roleDivisions: [{ roleId: role.id, divisionId: organization.homeDivisionId }] });
  const plan: SeedPlan = {
    organizations: [
      { organization, roles: [role], groups: [{ id: groupId, organizationId: organization.id, name: 'Night shift' }], users: [user], clients: [client] },
    ],
  };
  return { organization, role, groupId, user, client, plan };
}

/** A world written to the store: its client and user are active, so tokens of theirs can be issued. */
export async function seededWorld(store: Pick<AdminPort, 'applySeed'>): Promise<World> {
  const w = world();
  await store.applySeed(w.plan);
  return w;
}

/** A group as the groups API writes one (version 1), with the defaults a seeded group gets. */
export function groupOf(id: string, organizationId: string, name: string, overrides: Partial<GroupRecord> = {}): GroupRecord {
  return {
    id,
    organizationId,
    name,
    description: null,
    type: 'official',
    visibility: 'public',
    rulesVisible: true,
    state: 'active',
    version: 1,
    dateModified: T0,
    details: {},
    ...overrides,
  };
}

/** A user as the store reads it back: with the version the users API moves and no kept fields. */
export function stored(user: User, version = 1): UserRecord {
  return { ...user, version, details: {} };
}

export function userOf(organizationId: string, overrides: Partial<User> = {}): User {
  const id = randomUUID();
  return {
    id,
    organizationId,
    name: 'Alice',
    email: `Alice.${id}@Acme.test`,
    passwordHash: 'scrypt$x',
    state: 'active',
    roleIds: [],
    groupIds: [],
    dateCreated: T0,
    dateModified: T0,
    ...overrides,
  };
}

export function clientOf(organizationId: string, overrides: Partial<Client> = {}): Client {
  return {
    id: randomUUID(),
    organizationId,
    name: `client-${randomUUID()}`,
    secretHash: 'scrypt$secret',
    authorizedGrantType: 'CLIENT-CREDENTIALS',
    scope: [],
    registeredRedirectUri: [],
    roleDivisions: [],
    accessTokenValiditySeconds: 86400,
    state: 'active',
    dateCreated: T0,
    dateModified: T0,
    createdBy: null,
    modifiedBy: null,
    dateToDelete: null,
    ...overrides,
  };
}

export function tokenOf(w: World, overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    hash: randomBytes(32).toString('hex'),
    kind: 'access',
    organizationId: w.organization.id,
    clientId: w.client.id,
    userId: w.user.id,
    scopes: ['user-basic-info'],
    grantType: 'password',
    issuedAt: T0,
    expiresAt: T0 + 86_400_000,
    lastUsedAt: T0,
    revokedAt: null,
    familyId: null,
    codeHash: null,
    ...overrides,
  };
}
