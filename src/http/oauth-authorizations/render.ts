/** Domain to wire for a person's authorizations: `OAuthAuthorization` and its listing. */
import type { HeldAuthorization } from '../../core/consent/consent.js';

export const AUTHORIZATIONS_PATH = '/api/v2/oauth/authorizations';

const iso = (ms: number) => new Date(ms).toISOString();
const userRef = (id: string | null) => (id === null ? undefined : { id, selfUri: `/api/v2/users/${id}` });

export function renderAuthorization({ authorization, client }: HeldAuthorization) {
  return {
    client: { id: client.id, name: client.name },
    scope: authorization.scopes,
    roles: [],
    resourceOwner: { id: authorization.userId, selfUri: `/api/v2/users/${authorization.userId}` },
    dateCreated: iso(authorization.dateCreated),
    dateModified: iso(authorization.dateModified),
    createdBy: userRef(authorization.createdBy),
    modifiedBy: userRef(authorization.modifiedBy),
    pending: false,
    state: 'Approved',
    selfUri: `${AUTHORIZATIONS_PATH}/${client.id}`,
  };
}
