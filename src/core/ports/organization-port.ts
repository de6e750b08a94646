/**
 * Changing an organization through the API (`PUT /api/v2/organizations/me`, admin/organization.ts).
 * Read through the directory port (`findOrganization` carries the version and kept fields).
 * Implemented by `src/store`.
 */
import type { OrganizationDetails } from '../models.js';

/** What a conditional organization write did: `written`, or why it wrote nothing. */
export type OrganizationWrite = 'written' | 'stale' | 'name-taken' | 'missing';

export interface OrganizationChange {
  name: string;
  details: OrganizationDetails;
}

export interface OrganizationPort {
  /**
   * Replaces the organization's name (and its normal form) and kept fields and moves its version
   * by one, in one statement, only while its version is `expectedVersion`: of two writers that read
   * the same version, one wins and the other is `stale`. `name-taken` when another organization
   * has the name in core's normal form (the unique index decides, so two racing renames cannot
   * both take one name); nothing is written unless the answer is `written`.
   */
  updateOrganization(id: string, change: OrganizationChange, expectedVersion: number): Promise<OrganizationWrite>;
}
