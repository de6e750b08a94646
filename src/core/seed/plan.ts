/** What applying a seed writes: every entity fully resolved (ids, hashes, timestamps). */
import type { Client, Division, Group, Organization, Role, User } from '../models.js';

export interface OrganizationPlan {
  organization: Organization;
  roles: Role[];
  groups: Group[];
  /** Divisions the file names, written only where neither their id nor their name is taken (an admin's changes hold). */
  divisions?: Division[];
  users: User[];
  clients: Client[];
}

/** The kinds of seeded entity whose fields the store remembers as last applied (seed-memory.ts). */
export type SeedEntityKind = 'organization' | 'role' | 'group' | 'user' | 'client';

/** One field's value as the seed applied it: canonical JSON, a scrypt hash for secrets, null when not named. */
export interface AppliedField {
  kind: SeedEntityKind;
  id: string;
  field: string;
  value: string | null;
}

export interface SeedPlan {
  organizations: OrganizationPlan[];
  /** Fields whose applied value is new or changed, remembered in the same transaction. */
  applied?: AppliedField[];
  /**
   * Users and clients this seed disables (active in the store, not in the plan): their sessions
   * end and their tokens are revoked in the same transaction, as an admin's disable does.
   */
  disables?: { users: string[]; clients: string[] };
  /** When the plan was made (remembered with each applied field). */
  at?: number;
}
