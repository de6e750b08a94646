/** What the `tokend clients` commands share: the actor and flag names the admin core reports with, finding a client, and their messages. */
import { type AdminActor, NO_ACTOR } from '../../core/admin/clients.js';
import type { FieldNames } from '../../core/admin/client-rules.js';
import type { Client, Organization } from '../../core/models.js';
import type { Services } from '../../core/services.js';
import { type OptionSpecs, stringValue, type Values } from '../args.js';
import { findOrganization } from '../admin-store.js';
import { sameText } from '../listing.js';
import { CliError } from '../output.js';

export const SECRET_NOTICE = 'Save the client secret now: tokend keeps only its hash and cannot show it again.';

export const CLI_ACTOR: AdminActor = NO_ACTOR;

/** The flags of `clients create` and `clients update`, as the shared client rules name them in their messages. */
export const CLI_FIELD_NAMES: FieldNames = {
  authorizedGrantType: '--grant-type',
  roleDivisions: '--role',
  scope: '--scope',
  registeredRedirectUri: '--redirect-uri',
  accessTokenValiditySeconds: '--access-token-validity',
  preAuthorized: '--pre-authorized',
};

/** The usage name of a client argument. */
export const CLIENT_ARG = '<clientId|name>';

export const CLIENT_ORG_OPTION: OptionSpecs = {
  org: { type: 'string', value: 'ID|NAME', description: "the client's organization (needed when two organizations have a client of that name)" },
};

export const noSuchClient = (reference: string, organization?: Organization | null) =>
  new CliError(`no client with the id or name "${reference}"${organization ? ` in organization ${organization.name}` : ''} (tokend clients list shows them)`);

/**
 * The client a command names by id or by name (any case), in `--org` when given. A name that
 * several clients have (the API allows it, as Genesys does) is refused, listing their ids.
 */
export async function findClient(core: Services, values: Values, reference: string): Promise<Client> {
  const org = stringValue(values, 'org');
  const organization = org === undefined ? null : await findOrganization(core, org);
  const byId = await core.clientAdmin.find(organization ? { organizationId: organization.id } : 'any', reference);
  if (byId) return byId;
  const named = (await core.reads.clients(organization?.id)).filter((client) => sameText(client.name, reference));
  const [only] = named;
  if (only && named.length === 1) return only;
  if (named.length === 0) throw noSuchClient(reference, organization);
  const names = new Map((await core.reads.organizations()).map((o) => [o.id, o.name]));
  // Sorted: the same answer whatever order the backend lists them in.
  const ids = named
    .map((client) => `${client.id} (${names.get(client.organizationId) ?? client.organizationId})`)
    .sort()
    .join(', ');
  throw new CliError(`${named.length} clients are named "${reference}": give one of their ids: ${ids}`);
}

/**
 * The command line keeps one client per name in an organization (any case), so that a name
 * finds one client; the API allows a second one, as Genesys does. `except`: the client renamed.
 */
export async function refuseTakenName(core: Services, organization: Organization, name: string, except?: string): Promise<void> {
  const taken = (await core.reads.clients(organization.id)).find((client) => client.id !== except && sameText(client.name, name));
  if (taken) {
    throw new CliError(
      `organization ${organization.name} already has a client named ${JSON.stringify(taken.name)} (${taken.id}): choose another name, so that a name finds one client`,
    );
  }
}
