/** A client as the command line shows it (`clients create`, `clients list`): never the secret or its hash. */
import type { Client, Organization } from '../../core/models.js';
import { isoDate } from '../admin-store.js';

export function clientView(client: Client, organization?: Organization) {
  return {
    id: client.id,
    name: client.name,
    organization: organization ? { id: organization.id, name: organization.name } : { id: client.organizationId },
    authorizedGrantType: client.authorizedGrantType,
    state: client.state,
    scope: client.scope,
    registeredRedirectUri: client.registeredRedirectUri,
    roleDivisions: client.roleDivisions,
    accessTokenValiditySeconds: client.accessTokenValiditySeconds,
    ...(client.description ? { description: client.description } : {}),
    ...(client.preAuthorized === true ? { preAuthorized: true } : {}),
    dateCreated: isoDate(client.dateCreated),
    dateModified: isoDate(client.dateModified),
  };
}
