/**
 * getUsersMe: the signed-in person, with the expands its SDK method lists (core/user-expand.ts):
 * their own values as getUser shows them, and the organization around them (`organization`,
 * `token`, `date`, `orgauthorization`, ...). Any other value is 400.
 */
import { Type } from '@sinclair/typebox';
import type { UserRecord } from '../../core/models.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { Principal } from '../../core/principal.js';
import { type UserExpand, USER_ME_EXPAND_LIST, USER_ME_EXPANDS } from '../../core/user-expand.js';
import { requireUserContext } from '../../core/user-context.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { normalizeQueryLists } from '../query-list.js';
import { renderOrganization, renderUser } from '../render-directory.js';
import { type ExpandData, renderUserExpands, renderUserMeExpands } from '../render-user-expands.js';
import { renderTokenInfo } from '../render.js';
import { apiErrorResponses } from '../schemas.js';
import { UserMeSchema } from '../user-schemas.js';
import { expandData, type UserViewServices } from '../user-views.js';

interface Shown {
  principal: Principal;
  person: UserRecord;
  expands: ReadonlySet<UserExpand>;
  data: ExpandData | null;
}

export function usersMeRoutes(operation: DefineOperation, services: UserViewServices & { now: () => number }): void {
  operation<{ Querystring: { expand?: string[] } }, Shown>(OPERATIONS.getUsersMe, {
    description:
      'Every expand value the SDK lists is answered: the identity plane from tokend, the others as for a person who never used a Genesys client app.',
    schema: {
      querystring: Type.Object({
        expand: Type.Optional(
          // No enum: values are matched in any letter case, and an unknown one gets a 400 naming it (user-expand.ts).
          Type.Array(Type.String({ maxLength: 100 }), {
            maxItems: 100,
            description: `Which fields, if any, to expand (repeated or comma-separated; any letter case): ${USER_ME_EXPANDS.join(', ')}`,
          }),
        ),
        integrationPresenceSource: Type.Optional(
          Type.String({ enum: ['MicrosoftTeams', 'ZoomPhone', 'EightByEight'], description: 'Accepted; presence is always Offline' }),
        ),
      }),
      response: { 200: UserMeSchema, ...apiErrorResponses() },
    },
    // A single `expand=token` is a list of one: normalized before the schema checks the query.
    prepare: (request) => normalizeQueryLists(request.query, ['expand']),
    act: async (request) => {
      const principal = principalOf(request);
      const expands = USER_ME_EXPAND_LIST.parse(request.query.expand ?? []);
      // The cached person of the token; a record read from the store carries its version and kept fields.
      const person = requireUserContext(principal) as UserRecord;
      const data = expands.size === 0 ? null : await expandData(services, principal, [person], expands);
      return { principal, person, expands, data };
    },
    // Rendered once the idle clock moved: the expanded token shows its new dateTokenIdles.
    render: ({ principal, person, expands, data }) => ({
      ...renderUser(person, principal.organization),
      ...(data === null ? {} : renderUserExpands(person, expands, data)),
      ...(data === null ? {} : renderUserMeExpands(person, expands, data, services.now())),
      organization: expands.has('organization') ? renderOrganization(principal.organization) : undefined,
      token: expands.has('token') ? renderTokenInfo(principal) : undefined,
    }),
  });
}
