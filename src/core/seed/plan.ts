/** What applying a seed writes: every entity fully resolved (ids, hashes, timestamps). */
import type { Client, Group, Organization, Role, User } from '../models.js';

export interface OrganizationPlan {
  organization: Organization;
  roles: Role[];
  groups: Group[];
  users: User[];
  clients: Client[];
}

export interface SeedPlan {
  organizations: OrganizationPlan[];
}
