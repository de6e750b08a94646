/** getAuthorizationDivisionsHome: the organization's home division, the one client `roleDivisions` name. */
import { OPERATIONS } from '../../core/operations/table.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { AuthzDivisionSchema } from '../directory-schemas.js';
import { renderHomeDivision } from '../render-directory.js';
import { apiErrorResponses } from '../schemas.js';

export function divisionsHomeRoutes(operation: DefineOperation): void {
  operation(OPERATIONS.getAuthorizationDivisionsHome, {
    schema: { response: { 200: AuthzDivisionSchema, ...apiErrorResponses(403) } },
    act: (request) => renderHomeDivision(principalOf(request).organization),
  });
}
