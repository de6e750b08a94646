/**
 * The admin core for OAuth clients: every create, change, disable, enable, secret
 * regeneration and delete of a client goes through here, whichever door asked (the command
 * line, the OAuth clients API; the seed shares {@link clientRuleViolation}). What each action
 * ends is decided once:
 * - a client that stops being `active` (disable, inactive, by PUT or the command line) has its
 *   live tokens revoked, refresh families included, and its pending codes burnt (store.ts);
 * - a regenerated secret replaces the old one at once (only its scrypt hash is stored, and the
 *   remembered digest of the old one no longer matches: client-auth.ts);
 * - a delete does what a disable does, removes the client and leaves a tombstone so that a seed
 *   that does not change it does not bring it back.
 * A caller with a grantor (the API) may change, disable, re-key or delete only a client whose
 * every role it holds (role-grants.ts); the command line (NO_ACTOR) may touch any.
 * Every write then tells {@link ClientChanges}, so this node's caches drop what changed; other
 * nodes and processes learn it from the store's own change signal (data_version, NOTIFY).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Client, ClientState, Organization, RoleDivision } from '../models.js';
import { hashSecret, newClientSecret } from '../secrets.js';
import type { AdminPort } from '../ports/admin-port.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import { clientFields, ClientRuleViolation, clientRuleViolation, type FieldNames, MODEL_FIELD_NAMES } from './client-rules.js';
import { checkGrantedRoles, checkHoldsRolesOf, type Grantor } from './role-grants.js';

/** A client as a door describes it, before the rules and defaults. */
export interface ClientDraft {
  name: string;
  description?: string | null;
  authorizedGrantType: string;
  roleDivisions?: RoleDivision[];
  scope?: string[];
  registeredRedirectUri?: string[];
  accessTokenValiditySeconds?: number;
  /** Left out: `active` for a new client, unchanged for an existing one. */
  state?: ClientState;
  dateToDelete?: number | null;
  /** Skips the consent page: the command line's and the seed's to set, never the API's. Left out: unchanged (false for a new client). */
  preAuthorized?: boolean;
}

/**
 * Who acts: their id becomes `createdBy`/`modifiedBy`; a grantor may give only roles it could use
 * itself, and change only a client whose every role it holds.
 */
export interface AdminActor {
  id: string | null;
  grantor?: Grantor;
}

/** Told after each committed write, so that this node's caches drop what changed. */
export interface ClientChanges {
  clientChanged(clientId: string): void;
}

/** The command line: an operator with the store in hand, recorded as nobody and free to give any role of the organization. */
export const NO_ACTOR: AdminActor = { id: null };

/** Which clients a caller may reach: one organization's (the API), or any (the command line). */
export type ClientReach = { organizationId: string } | 'any';

export class ClientAdmin {
  readonly #store: AdminPort & DirectoryPort;
  readonly #clock: Clock;
  readonly #changes: ClientChanges | null;

  constructor(store: AdminPort & DirectoryPort, clock: Clock, changes: ClientChanges | null = null) {
    this.#store = store;
    this.#clock = clock;
    this.#changes = changes;
  }

  /** The client, if the caller may reach it; null for an unknown one and another organization's alike. */
  async find(reach: ClientReach, id: string): Promise<Client | null> {
    const client = await this.#store.findClient(id);
    if (!client || (reach !== 'any' && client.organizationId !== reach.organizationId)) return null;
    return client;
  }

  /**
   * The client, if the caller may reach it, for a change: null for an unknown one and another
   * organization's alike (404 comes first), then 403 `missing.permissions` unless the actor holds
   * every role of it.
   */
  async findToChange(reach: ClientReach, id: string, actor: AdminActor): Promise<Client | null> {
    const client = await this.find(reach, id);
    if (client && actor.grantor) {
      const roles = await this.#store.findRoles([...new Set(client.roleDivisions.map((rd) => rd.roleId))]);
      checkHoldsRolesOf(actor.grantor, roles, 'roleDivisions');
    }
    return client;
  }

  /**
   * Every client of the organization, by name then id (code points, the same on every store):
   * getOauthClients answers them all in one page (CONTRACT.md, "The directory and authorization planes").
   */
  async list(organizationId: string): Promise<Client[]> {
    const clients = await this.#store.listClients(organizationId);
    const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return clients.sort((a, b) => order(a.name, b.name) || order(a.id, b.id));
  }

  /** Makes a client with a generated 256-bit secret, returned here once and stored only as its hash. */
  async create(
    organization: Organization,
    draft: ClientDraft,
    actor: AdminActor,
    names: FieldNames = MODEL_FIELD_NAMES,
  ): Promise<{ client: Client; secret: string }> {
    const shaped = await this.#shape(organization, draft, null, actor, names);
    const secret = newClientSecret();
    const now = this.#clock.now();
    const client: Client = {
      id: randomUUID(),
      organizationId: organization.id,
      secretHash: await hashSecret(secret),
      ...shaped,
      state: draft.state ?? 'active',
      dateCreated: now,
      dateModified: now,
      createdBy: actor.id,
      modifiedBy: actor.id,
      dateToDelete: draft.dateToDelete ?? null,
    };
    await this.#store.insertClient(client);
    this.#changes?.clientChanged(client.id);
    return { client, secret };
  }

  /** Replaces what `draft` describes (PUT); null when the client is gone or out of reach. */
  async update(
    organization: Organization,
    id: string,
    draft: ClientDraft,
    actor: AdminActor,
    names: FieldNames = MODEL_FIELD_NAMES,
  ): Promise<{ client: Client; revokedTokens: number } | null> {
    const existing = await this.findToChange({ organizationId: organization.id }, id, actor);
    if (!existing) return null;
    const shaped = await this.#shape(organization, draft, existing, actor, names);
    const client: Client = {
      ...existing,
      ...shaped,
      state: draft.state ?? existing.state,
      dateModified: this.#clock.now(),
      modifiedBy: actor.id,
      dateToDelete: draft.dateToDelete === undefined ? existing.dateToDelete : draft.dateToDelete,
    };
    const ended = await this.#store.updateClient(client);
    if (!ended) return null;
    this.#changes?.clientChanged(id);
    return { client, revokedTokens: ended.revokedTokens };
  }

  /** Disable (any state but `active` ends its access) or enable; null for an unknown client. */
  async setState(reach: ClientReach, id: string, state: ClientState, actor: AdminActor): Promise<{ revokedTokens: number } | null> {
    if (!(await this.findToChange(reach, id, actor))) return null;
    const ended = await this.#store.setClientState(id, state, this.#clock.now());
    if (ended) this.#changes?.clientChanged(id);
    return ended;
  }

  /** A new generated secret, returned once; the old one is refused from now on. Null for an unknown client. */
  async regenerateSecret(reach: ClientReach, id: string, actor: AdminActor): Promise<{ secret: string } | null> {
    if (!(await this.findToChange(reach, id, actor))) return null;
    const secret = newClientSecret();
    const changed = await this.#store.setClientSecretHash(id, await hashSecret(secret), this.#clock.now(), actor.id);
    if (!changed) return null;
    this.#changes?.clientChanged(id);
    return { secret };
  }

  /** Deletes the client and ends its access; null for an unknown client. */
  async delete(reach: ClientReach, id: string, actor: AdminActor): Promise<{ revokedTokens: number } | null> {
    if (!(await this.findToChange(reach, id, actor))) return null;
    const ended = await this.#store.deleteClient(id, this.#clock.now());
    if (ended) this.#changes?.clientChanged(id);
    return ended;
  }

  /**
   * Applies the defaults and the rules, and checks the roles: each of the organization (and
   * its home division), and each one newly given held by the grantor. Throws
   * {@link ClientRuleViolation} or the grantor's refusal; returns the fields a client takes.
   */
  async #shape(organization: Organization, draft: ClientDraft, existing: Client | null, actor: AdminActor, names: FieldNames) {
    const shape = clientFields(draft);
    const { roleDivisions } = shape;
    const violation = clientRuleViolation({ ...shape, roleCount: roleDivisions.length }, names);
    if (violation) throw violation;
    const roles = await this.#store.findRoles([...new Set(roleDivisions.map((rd) => rd.roleId))]);
    roleDivisions.forEach((rd, i) => {
      const role = roles.find((r) => r.id === rd.roleId);
      // Another organization's role answers as an unknown one: ids of other tenants stay unconfirmed.
      if (!role || role.organizationId !== organization.id)
        throw new ClientRuleViolation(`roleDivisions[${i}].roleId`, `no role with the id ${rd.roleId} in this organization`);
      if (rd.divisionId !== organization.homeDivisionId) {
        throw new ClientRuleViolation(
          `roleDivisions[${i}].divisionId`,
          `no division with the id ${rd.divisionId} in this organization (its home division is ${organization.homeDivisionId})`,
        );
      }
    });
    if (actor.grantor) {
      const had = new Set(existing?.roleDivisions.map((rd) => rd.roleId) ?? []);
      checkGrantedRoles(
        actor.grantor,
        roles.filter((role) => !had.has(role.id)),
      );
    }
    return shape;
  }
}
