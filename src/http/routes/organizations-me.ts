/** getOrganizationsMe: the organization of the calling token, for user and client-credentials tokens alike. */
import { OPERATIONS } from '../../core/operations/table.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { OrganizationSchema } from '../directory-schemas.js';
import { renderOrganization } from '../render-directory.js';
import { apiErrorResponses } from '../schemas.js';

export function organizationsMeRoutes(operation: DefineOperation): void {
  operation(OPERATIONS.getOrganizationsMe, {
    description: "The calling token's organization.",
    schema: { response: { 200: OrganizationSchema, ...apiErrorResponses(403) } },
    act: (request) => renderOrganization(principalOf(request).organization),
  });
}
