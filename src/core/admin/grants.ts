/**
 * The grants part of the one admin core (AuthorizationApi's subjects, `tokend grants`): which
 * roles a person holds in which division, and changing them. Subjects are people only: tokend
 * has no group grants, and a client-credentials client's roles are its `roleDivisions` (the
 * OAuth clients API).
 *
 * Rules (CONTRACT.md, "The directory and authorization planes"):
 * - A grant in the home division is a role of the person (user_roles, as PUT /users/{id}/roles
 *   sets them); one in another division is a grant of its own (store: user_grants).
 * - A caller with a grantor (the API) changes the grants of only a person whose every role (in
 *   any division) it holds, and gives only roles it holds (403 `missing.permissions`, as
 *   PUT /users/{id}/roles); the command line (no grantor) may change anyone's.
 * - Roles and divisions must be the organization's; a deleted person is unknown (404).
 * - A change replaces the person's whole set at the version it read, and is tried again from a
 *   fresh read when another change came first, so that two bulk adds never lose one another.
 * - Every change drops the person's cached tokens here at once; other nodes hear it from the
 *   store (user_grants and user_roles notify), so a grant taken away ends what their tokens may
 *   do from the next request on every node.
 */
import type { Authenticator } from '../authenticator.js';
import type { Clock } from '../clock.js';
import { ApiError, errors } from '../errors.js';
import { type Division, type DivisionGrant, heldRoleIds, type Organization, type Role, type RoleDivision, type UserRecord } from '../models.js';
import { permissionMatches } from '../permissions.js';
import type { AdminPort, GrantSet } from '../ports/admin-port.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import type { Principal } from '../principal.js';
import type { DivisionAdmin } from './divisions.js';
import { checkHoldsRolesOf, type Grantor } from './role-grants.js';

/** One grant as the API shows it: the role, the division, and when (null: a home role, whose time tokend does not keep). */
export interface SubjectGrant {
  role: Role;
  division: Division;
  grantedAt: number | null;
}

export interface Subject {
  user: UserRecord;
  grants: SubjectGrant[];
}

/** How a bad role or division is refused: 404 for one named in the path, 400 naming the body's field. */
export type Naming = 'path' | 'body';

const ATTEMPTS = 5;

export class GrantAdmin {
  readonly #store: AdminPort & DirectoryPort;
  readonly #divisions: DivisionAdmin;
  readonly #clock: Clock;
  readonly #authenticator: Pick<Authenticator, 'userChanged'> | null;

  constructor(store: AdminPort & DirectoryPort, divisions: DivisionAdmin, clock: Clock, authenticator: Pick<Authenticator, 'userChanged'> | null = null) {
    this.#store = store;
    this.#divisions = divisions;
    this.#clock = clock;
    this.#authenticator = authenticator;
  }

  /** The organization's person (not deleted) and their grants, by division then role name. */
  async subject(organization: Organization, userId: string): Promise<Subject> {
    const user = await this.#person(organization, userId);
    return { user, grants: await this.#grantsOf(organization, user) };
  }

  /** Adds grants (those the person has already stay as they are). */
  add(organization: Organization, userId: string, pairs: readonly RoleDivision[], grantor: Grantor | null, naming: Naming): Promise<Subject> {
    return this.#change(organization, userId, pairs, grantor, naming, (current, wanted) => [...current, ...wanted], true);
  }

  /** Removes grants (one the person does not have is no error). */
  remove(organization: Organization, userId: string, pairs: readonly RoleDivision[], grantor: Grantor | null, naming: Naming): Promise<Subject> {
    const gone = new Set(pairs.map(key));
    return this.#change(organization, userId, pairs, grantor, naming, (current) => current.filter((grant) => !gone.has(key(grant))));
  }

  /** Replaces every grant of the person with these. */
  replace(organization: Organization, userId: string, pairs: readonly RoleDivision[], grantor: Grantor | null): Promise<Subject> {
    return this.#change(organization, userId, pairs, grantor, 'body', (_current, wanted) => wanted, true);
  }

  /**
   * The caller's divisions in which one of its grants carries `permission` (wildcards as roles
   * write them match): a person's grants, or a client-credentials client's roleDivisions. A
   * grant counts in its own division only, the home one included: this answers where a grant
   * was made, not what the token may do (enforcement is organization-wide, docs/api.md).
   */
  async permittedDivisions(principal: Principal, permission: string): Promise<Division[]> {
    const { organization } = principal;
    const pairs: readonly RoleDivision[] = principal.user ? pairsOf(organization, principal.user) : principal.client.roleDivisions;
    const roles = new Map((await this.#store.findRoles([...new Set(pairs.map((p) => p.roleId))])).map((role) => [role.id, role]));
    const permitted = new Set(
      pairs.filter((p) => roles.get(p.roleId)?.permissions.some((held) => permissionMatches(held, permission))).map((p) => p.divisionId),
    );
    return (await this.#divisions.list(organization)).filter((d) => permitted.has(d.id));
  }

  async #change(
    organization: Organization,
    userId: string,
    pairs: readonly RoleDivision[],
    grantor: Grantor | null,
    naming: Naming,
    next: (current: RoleDivision[], wanted: RoleDivision[]) => RoleDivision[],
    grants = false,
  ): Promise<Subject> {
    const wanted = await this.#resolve(organization, pairs, naming);
    for (let attempt = 1; ; attempt++) {
      const user = await this.#person(organization, userId);
      if (grantor) {
        checkHoldsRolesOf(grantor, await this.#store.findRoles(heldRoleIds(user)), 'grants');
        checkHoldsRolesOf(grantor, wanted.roles, 'grants');
      }
      const current = pairsOf(organization, user);
      const outcome = await this.#store.setUserGrants(
        user.id,
        organization.id,
        grantSet(organization, user, next(current, wanted.pairs), this.#clock.now()),
        user.version,
        this.#clock.now(),
      );
      if (outcome === 'missing') throw userNotFound(userId);
      if (outcome === 'written') break;
      if (attempt === ATTEMPTS) {
        throw new ApiError(409, 'general.conflict', `the grants of ${user.name} kept changing: read them again and retry`, {
          details: [{ errorCode: 'general.conflict', entityId: user.id, entityName: user.name }],
        });
      }
    }
    this.#authenticator?.userChanged(userId);
    const after = await this.subject(organization, userId);
    // A division deleted between the check and the write: the store made no grant in it (division-writes.ts).
    if (grants) {
      const made = new Set(after.grants.map((g) => key({ roleId: g.role.id, divisionId: g.division.id })));
      const lost = pairs.findIndex((pair) => !made.has(key(pair)));
      if (lost !== -1) throw unknown(naming, 'division', pairs[lost]?.divisionId ?? '', `grants[${lost}].divisionId`);
    }
    return after;
  }

  /** The pairs, each role and division the organization's (deduplicated, in the order given). */
  async #resolve(organization: Organization, pairs: readonly RoleDivision[], naming: Naming): Promise<{ pairs: RoleDivision[]; roles: Role[] }> {
    const roles = new Map((await this.#store.findRoles([...new Set(pairs.map((p) => p.roleId))])).map((role) => [role.id, role]));
    const divisions = new Set((await this.#divisions.list(organization)).map((d) => d.id));
    const unique = new Map<string, RoleDivision>();
    pairs.forEach((pair, i) => {
      const role = roles.get(pair.roleId);
      if (!role || role.organizationId !== organization.id) throw unknown(naming, 'role', pair.roleId, `grants[${i}].roleId`);
      if (!divisions.has(pair.divisionId)) throw unknown(naming, 'division', pair.divisionId, `grants[${i}].divisionId`);
      unique.set(key(pair), { roleId: pair.roleId, divisionId: pair.divisionId });
    });
    const given = [...unique.values()];
    return { pairs: given, roles: [...new Set(given.map((p) => p.roleId))].map((id) => roles.get(id) as Role) };
  }

  async #person(organization: Organization, userId: string): Promise<UserRecord> {
    const user = await this.#store.findUser(userId);
    if (!user || user.organizationId !== organization.id || user.state === 'deleted') throw userNotFound(userId);
    return user;
  }

  async #grantsOf(organization: Organization, user: UserRecord): Promise<SubjectGrant[]> {
    const [roles, divisions] = await Promise.all([this.#store.findRoles(heldRoleIds(user)), this.#divisions.list(organization)]);
    const byId = new Map(roles.filter((r) => r.organizationId === organization.id).map((r) => [r.id, r]));
    const divisionById = new Map(divisions.map((d) => [d.id, d]));
    const times = new Map((user.divisionGrants ?? []).map((g) => [key(g), g.grantedAt]));
    const grants: SubjectGrant[] = [];
    for (const pair of pairsOf(organization, user)) {
      const role = byId.get(pair.roleId);
      const division = divisionById.get(pair.divisionId);
      if (role && division) grants.push({ role, division, grantedAt: times.get(key(pair)) ?? null });
    }
    return grants.sort((a, b) => a.division.name.localeCompare(b.division.name) || a.role.name.localeCompare(b.role.name));
  }
}

export const userNotFound = (id: string) => errors.notFound(`no user with the id ${id}`, id);

const key = (pair: RoleDivision) => `${pair.roleId}\u0000${pair.divisionId}`;

/** Every grant of the person as role and division pairs: their home roles, then their grants elsewhere. */
function pairsOf(organization: Organization, user: Pick<UserRecord, 'roleIds' | 'divisionGrants'>): RoleDivision[] {
  return [
    ...user.roleIds.map((roleId) => ({ roleId, divisionId: organization.homeDivisionId })),
    ...(user.divisionGrants ?? []).map(({ roleId, divisionId }) => ({ roleId, divisionId })),
  ];
}

/** The pairs as the store keeps them: home roles apart; a grant kept keeps its time. */
function grantSet(organization: Organization, user: UserRecord, pairs: readonly RoleDivision[], now: number): GrantSet {
  const times = new Map((user.divisionGrants ?? []).map((g) => [key(g), g.grantedAt]));
  const unique = new Map(pairs.map((p) => [key(p), p]));
  const homeRoleIds = [...unique.values()].filter((p) => p.divisionId === organization.homeDivisionId).map((p) => p.roleId);
  const elsewhere: DivisionGrant[] = [...unique.values()]
    .filter((p) => p.divisionId !== organization.homeDivisionId)
    .map((p) => ({ roleId: p.roleId, divisionId: p.divisionId, grantedAt: times.get(key(p)) ?? now }));
  return { homeRoleIds, elsewhere };
}

function unknown(naming: Naming, what: 'role' | 'division', id: string, field: string): ApiError {
  if (naming === 'path') return errors.notFound(`no ${what} with the id ${id}`, id);
  return new ApiError(400, 'invalid.value', `no ${what} with the id ${id} in this organization`, {
    details: [{ errorCode: 'invalid.value', fieldName: field }],
  });
}
