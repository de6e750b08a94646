/**
 * The calling token's organization (`OrganizationApi`: getOrganizationsMe, putOrganizationsMe),
 * for user and client-credentials tokens alike. Read from the store, not the cached principal, so
 * a change made on any node shows at once; what is kept and what is fixed is core/admin/organization.ts.
 */
import type { OrganizationPut } from '../../core/admin/organization.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { OrganizationPutSchema, OrganizationSchema } from '../directory-schemas.js';
import { renderOrganization } from '../render-directory.js';
import { requireBody } from '../request-body.js';
import { apiErrorResponses } from '../schemas.js';
import type { RouteServices } from './deps.js';

export function organizationsMeRoutes(operation: DefineOperation, { organizations }: Pick<RouteServices, 'organizations'>): void {
  operation(OPERATIONS.getOrganizationsMe, {
    description: "The calling token's organization. Fields of services tokend does not run are fixed (docs/api.md).",
    schema: { response: { 200: OrganizationSchema, ...apiErrorResponses(403) } },
    act: async (request) => renderOrganization(await organizations.read(principalOf(request).organization.id)),
  });

  operation<{ Body: OrganizationPut | undefined }>(OPERATIONS.putOrganizationsMe, {
    description:
      'Changes the name (unique in any letter case; people sign in with it) and the kept fields the body gives; fields left out keep their value. `version` must be the one read (else 409 general.conflict). Fixed fields may be sent back as read, and no other value (400).',
    schema: { body: OrganizationPutSchema, response: { 200: OrganizationSchema, ...apiErrorResponses(403, 409, 413, 415) } },
    act: async (request) => {
      const body = requireBody(request.body, request.headers, 'Organization');
      return renderOrganization(await organizations.update(principalOf(request).organization.id, body));
    },
  });
}
