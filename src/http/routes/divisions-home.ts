/** getAuthorizationDivisionsHome: the organization's home division, the one its people, groups and client `roleDivisions` are in. */
import { OPERATIONS } from '../../core/operations/table.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { AuthzDivisionSchema } from '../directory-schemas.js';
import { renderDivision } from '../division-views.js';
import { apiErrorResponses } from '../schemas.js';
import type { RouteServices } from './deps.js';

export function divisionsHomeRoutes(operation: DefineOperation, { divisions }: Pick<RouteServices, 'divisions'>): void {
  operation(OPERATIONS.getAuthorizationDivisionsHome, {
    schema: { response: { 200: AuthzDivisionSchema, ...apiErrorResponses(403) } },
    act: async (request) => {
      const { organization } = principalOf(request);
      return renderDivision(await divisions.home(organization), organization);
    },
  });
}
