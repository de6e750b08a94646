/** Domain to wire for the OAuth clients API: `OAuthClient` and its paged listing, never the secret's hash. */
import type { Directory } from '../../core/directory.js';
import type { Client } from '../../core/models.js';

export const CLIENTS_PATH = '/api/v2/oauth/clients';

const iso = (ms: number) => new Date(ms).toISOString();

/** `createdBy`/`modifiedBy`: the user or client that acted, with the selfUri of its kind. */
async function entityRef(directory: Directory, id: string | null) {
  if (id === null) return undefined;
  const user = await directory.user(id);
  return { id, selfUri: user ? `/api/v2/users/${id}` : `${CLIENTS_PATH}/${id}` };
}

export async function renderClient(directory: Directory, client: Client) {
  return {
    id: client.id,
    name: client.name,
    accessTokenValiditySeconds: client.accessTokenValiditySeconds,
    description: client.description ?? undefined,
    registeredRedirectUri: client.registeredRedirectUri,
    roleIds: client.roleDivisions.map((rd) => rd.roleId),
    dateCreated: iso(client.dateCreated),
    dateModified: iso(client.dateModified),
    createdBy: await entityRef(directory, client.createdBy),
    modifiedBy: await entityRef(directory, client.modifiedBy),
    authorizedGrantType: client.authorizedGrantType,
    scope: client.scope,
    roleDivisions: client.roleDivisions,
    state: client.state,
    dateToDelete: client.dateToDelete === null ? undefined : iso(client.dateToDelete),
    selfUri: `${CLIENTS_PATH}/${client.id}`,
  };
}
