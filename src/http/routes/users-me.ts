/** getUsersMe: the signed-in person, with `expand=organization` and `expand=token` as Genesys fills them. */
import { Type } from '@sinclair/typebox';
import { OPERATIONS } from '../../core/operations/table.js';
import type { Principal } from '../../core/principal.js';
import { IGNORED_USER_EXPANDS, userExpands } from '../../core/user-expand.js';
import { requireUserContext } from '../../core/user-context.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { UserMeSchema } from '../directory-schemas.js';
import { normalizeQueryLists } from '../query-list.js';
import { renderOrganization, renderUserMe } from '../render-directory.js';
import { renderTokenInfo } from '../render.js';
import { apiErrorResponses } from '../schemas.js';

export function usersMeRoutes(operation: DefineOperation): void {
  operation<{ Querystring: { expand?: string[] } }, { principal: Principal; expands: ReadonlySet<string> }>(OPERATIONS.getUsersMe, {
    description: 'tokend fills the expands organization and token; the other values Genesys knows are accepted and ignored.',
    schema: {
      querystring: Type.Object({
        expand: Type.Optional(
          // No enum: values are matched in any letter case, and an unknown one gets a 400 naming it (user-expand.ts).
          Type.Array(Type.String(), {
            description: `Which fields, if any, to expand (repeated or comma-separated). Filled: organization, token. Accepted and ignored: ${IGNORED_USER_EXPANDS.join(', ')}`,
          }),
        ),
      }),
      response: { 200: UserMeSchema, ...apiErrorResponses() },
    },
    // A single `expand=token` is a list of one: normalized before the schema checks the query.
    prepare: (request) => normalizeQueryLists(request.query, ['expand']),
    act: (request) => ({ principal: principalOf(request), expands: userExpands(request.query.expand ?? []) }),
    // Rendered once the idle clock moved: the expanded token shows its new dateTokenIdles.
    render: ({ principal, expands }) => ({
      ...renderUserMe(requireUserContext(principal), principal.organization),
      organization: expands.has('organization') ? renderOrganization(principal.organization) : undefined,
      token: expands.has('token') ? renderTokenInfo(principal) : undefined,
    }),
  });
}
