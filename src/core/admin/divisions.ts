/**
 * The divisions part of the one admin core (AuthorizationApi's divisions, `tokend divisions`):
 * listing, creating, renaming and deleting an organization's divisions. The API and the command
 * line call it; it decides, the store writes.
 *
 * Rules:
 * - Another organization's division is unknown here (404), as an unknown id is.
 * - Names are unique per organization in core's normal form (400 `constraint.validation`), 1 to
 *   200 characters; a description at most 500.
 * - The home division keeps its name "Home" (every person and group is shown in it by that name)
 *   and cannot be deleted; ours: a division holding grants or clients' roles cannot be deleted
 *   either (409 `general.conflict`, nothing changes: the store checks it in the delete itself).
 *   Since a division in use is never deleted, a delete ends nobody's permissions.
 * - An organization has at most {@link DIVISION_LIMIT} divisions (ours, fixed; getAuthorizationDivisionsLimit).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { ApiError, errors } from '../errors.js';
import type { Division, Organization } from '../models.js';
import type { AdminPort } from '../ports/admin-port.js';
import type { DirectoryPort } from '../ports/directory-port.js';

/** How many divisions an organization may have, the home one included (ours: Genesys sets it per organization). */
export const DIVISION_LIMIT = 50;
export const HOME_DIVISION_NAME = 'Home';

export interface DivisionDraft {
  name: string;
  description?: string | null;
}

export const divisionNotFound = (id: string) => errors.notFound(`no division with the id ${id}`, id);

const invalid = (field: string, message: string, code: 'invalid.value' | 'constraint.validation' = 'invalid.value') =>
  new ApiError(400, code, message, { details: [{ errorCode: code, fieldName: field }] });

export class DivisionAdmin {
  readonly #store: AdminPort & DirectoryPort;
  readonly #clock: Clock;

  constructor(store: AdminPort & DirectoryPort, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  /** Every division of the organization, by name; the home one is there even where no row was written for it. */
  async list(organization: Organization): Promise<Division[]> {
    const divisions = await this.#store.listDivisions(organization.id);
    if (divisions.some((d) => d.id === organization.homeDivisionId)) return divisions;
    return [homeOf(organization), ...divisions];
  }

  async get(organization: Organization, id: string): Promise<Division> {
    const division = (await this.#store.findDivision(organization.id, id)) ?? (id === organization.homeDivisionId ? homeOf(organization) : null);
    if (!division) throw divisionNotFound(id);
    return division;
  }

  home(organization: Organization): Promise<Division> {
    return this.get(organization, organization.homeDivisionId);
  }

  /** A division by id or name (any letter case): the command line's way. */
  async find(organization: Organization, reference: string): Promise<Division> {
    const divisions = await this.list(organization);
    const lower = reference.toLowerCase();
    const found = divisions.find((d) => d.id.toLowerCase() === lower) ?? divisions.find((d) => d.name.toLowerCase() === lower);
    if (!found) throw errors.notFound(`no division with the id or name "${reference}" in organization ${organization.name}`, reference);
    return found;
  }

  async create(organization: Organization, draft: DivisionDraft): Promise<Division> {
    checkDraft(draft);
    const existing = await this.list(organization);
    if (existing.length >= DIVISION_LIMIT) {
      throw invalid('name', `${organization.name} has ${existing.length} divisions, the most an organization may have`, 'constraint.validation');
    }
    const division: Division = {
      id: randomUUID(),
      organizationId: organization.id,
      name: draft.name.trim(),
      description: draft.description ?? null,
      home: false,
      dateCreated: this.#clock.now(),
    };
    if (!(await this.#store.insertDivision(division))) throw nameTaken(division.name, organization);
    return division;
  }

  /** Replaces the name and the description (left out: none). */
  async update(organization: Organization, id: string, draft: DivisionDraft): Promise<Division> {
    checkDraft(draft);
    const existing = await this.get(organization, id);
    const name = draft.name.trim();
    if (existing.home && name !== existing.name) throw invalid('name', `the home division keeps its name ${existing.name}`);
    const division: Division = { ...existing, name, description: draft.description ?? null };
    const outcome = await this.#store.updateDivision(division);
    if (outcome === 'missing') throw divisionNotFound(id);
    if (outcome === 'name-taken') throw nameTaken(name, organization);
    return division;
  }

  /** Deletes a division that holds nothing; the home one, or one in use, is 409 and stays. */
  async delete(organization: Organization, id: string): Promise<Division> {
    const division = await this.get(organization, id);
    if (division.home) throw conflict(division, 'it is the home division of the organization');
    const outcome = await this.#store.deleteDivision(organization.id, id);
    if (outcome === 'missing') throw divisionNotFound(id);
    if (outcome === 'in-use') {
      const use = await this.#store.divisionUse(organization.id, id);
      throw conflict(
        division,
        `it holds ${counted(use.grants, 'grant', 'grants')} and ${counted(use.clientRoles, "a client's role", "clients' roles")}: remove them first`,
      );
    }
    return division;
  }
}

/** The home division as the organization names it, for one whose row was never written (a database written outside tokend). */
function homeOf(organization: Organization): Division {
  return { id: organization.homeDivisionId, organizationId: organization.id, name: HOME_DIVISION_NAME, description: null, home: true, dateCreated: 0 };
}

function checkDraft(draft: DivisionDraft): void {
  const name = draft.name.trim();
  if (name === '') throw invalid('name', 'the division name must not be empty');
  if (name.length > 200) throw invalid('name', 'the division name must be at most 200 characters');
  if (draft.description !== undefined && draft.description !== null && draft.description.length > 500) {
    throw invalid('description', 'the description must be at most 500 characters');
  }
}

const counted = (n: number, one: string, many: string) => (n === 1 ? `1 ${one.replace(/^a /, '')}` : `${n} ${many}`);

function nameTaken(name: string, organization: Organization): ApiError {
  return invalid('name', `a division named ${name} already exists in ${organization.name}`, 'constraint.validation');
}

function conflict(division: Division, why: string): ApiError {
  return new ApiError(409, 'general.conflict', `the division ${division.name} cannot be deleted: ${why}`, {
    details: [{ errorCode: 'general.conflict', entityId: division.id, entityName: division.name }],
  });
}
