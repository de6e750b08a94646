/** Domain to wire: TokenInfo and OrgOAuthClient as CONTRACT.md spells them. */
import type { Principal } from '../core/principal.js';
import type { Client, Organization } from '../core/models.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function renderOAuthClient(client: Client, organization: Organization) {
  const userGrant = client.authorizedGrantType !== 'CLIENT-CREDENTIALS';
  return {
    id: client.id,
    name: client.name,
    dateCreated: iso(client.dateCreated),
    dateModified: iso(client.dateModified),
    ...(client.createdBy ? { createdBy: { id: client.createdBy } } : {}),
    ...(client.modifiedBy ? { modifiedBy: { id: client.modifiedBy } } : {}),
    authorizedGrantType: client.authorizedGrantType,
    ...(userGrant ? { scope: client.scope } : { roleDivisions: client.roleDivisions }),
    state: client.state,
    ...(client.dateToDelete !== null ? { dateToDelete: iso(client.dateToDelete) } : {}),
    organization: { id: organization.id, name: organization.name },
  };
}

/**
 * The OrgOAuthClient of each cached client object, rendered once. Clients and organizations
 * are immutable snapshots: the Directory replaces them (never edits them) when anything
 * changes, so a new object gets a new rendering and the old one is collected with it.
 * Rendering per request (two ISO dates, five spreads) was a measurable part of a warm
 * GET /tokens/me (docs/performance.md).
 */
const renderedClients = new WeakMap<Client, { organization: Organization; rendered: ReturnType<typeof renderOAuthClient> }>();

function renderedClient(client: Client, organization: Organization) {
  const known = renderedClients.get(client);
  if (known && known.organization === organization) return known.rendered;
  const rendered = renderOAuthClient(client, organization);
  renderedClients.set(client, { organization, rendered });
  return rendered;
}

export function renderTokenInfo(principal: Principal) {
  const { organization, client, idleSeconds, lastUsedAt } = principal;
  const org = { id: organization.id, name: organization.name };
  // One literal, the absent date as undefined (the schema's serializer leaves it out): spreading
  // a conditional object into it took V8's slow path, and tokens under an idle timeout render
  // their body on every request.
  return {
    organization: org,
    homeOrganization: org,
    authorizedScope: principal.token.scopes,
    dateTokenIdles: idleSeconds !== null ? iso(lastUsedAt + idleSeconds * 1000) : undefined,
    OAuthClient: renderedClient(client, organization),
  };
}
