/** Reading and changing an organization's idle token timeout (`/api/v2/tokens/timeout`). */
import type { Authenticator } from './authenticator.js';
import { ApiError, errors } from './errors.js';
import type { IdleTokenTimeout, Organization } from './models.js';
import type { IdleTokenTimeoutInput } from './schemas.js';
import type { AdminPort } from './ports/admin-port.js';
import type { DirectoryPort } from './ports/directory-port.js';

export class IdleTimeouts {
  readonly #store: AdminPort & DirectoryPort;
  readonly #authenticator: Pick<Authenticator, 'organizationChanged'>;

  constructor(store: AdminPort & DirectoryPort, authenticator: Pick<Authenticator, 'organizationChanged'>) {
    this.#store = store;
    this.#authenticator = authenticator;
  }

  /**
   * Merges `input` over the organization's current timeout (fields left out keep their value),
   * checks what a schema cannot (bundle priorities unique, groups of this organization), stores
   * it, and drops the organization's cached tokens so the new deadlines apply from the next request on.
   */
  async update(organization: Organization, input: IdleTokenTimeoutInput): Promise<IdleTokenTimeout> {
    const next: IdleTokenTimeout = { ...organization.idleTokenTimeout, ...input } as IdleTokenTimeout;
    const groups = new Set((await this.#store.listGroups(organization.id)).map((g) => g.id));
    const priorities = new Set<number>();
    next.inactivityTimeoutGroupBundles.forEach((bundle, i) => {
      if (priorities.has(bundle.priority))
        throw invalidValue(`inactivityTimeoutGroupBundles[${i}].priority`, `priority ${bundle.priority} is used by another bundle`);
      priorities.add(bundle.priority);
      bundle.groups.forEach((group, j) => {
        if (!groups.has(group)) throw invalidValue(`inactivityTimeoutGroupBundles[${i}].groups[${j}]`, `no group with id ${group} in this organization`);
      });
    });
    if (!(await this.#store.setIdleTokenTimeout(organization.id, next))) throw errors.notFound('The organization no longer exists.', organization.id);
    this.#authenticator.organizationChanged(organization.id);
    return next;
  }
}

function invalidValue(fieldName: string, message: string): ApiError {
  return new ApiError(400, 'invalid.value', `${fieldName}: ${message}`, { details: [{ errorCode: 'invalid.value', fieldName }] });
}
