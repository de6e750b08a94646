/**
 * `tokend clients ...`: OAuth clients in the server store. A generated secret is shown once,
 * when it is made, and stored only as its scrypt hash.
 */
import { randomUUID } from 'node:crypto';
import { ACCESS_TOKEN_VALIDITY, type Client, type ClientState, GRANT_TYPES, type GrantType, type Organization } from '../../core/models.js';
import { hashSecret, newClientSecret } from '../../core/secrets.js';
import type { Store } from '../../store/store.js';
import { type Command, type Group, listValue, requiredValue, stringValue, UsageError, type Values } from '../args.js';
import { DATABASE_SECTION, findOrganization, findRoles, isoDate, withStore } from '../admin-store.js';
import { reportEnded } from '../admin-report.js';
import { CliError, notice, printJson } from '../output.js';
import { clientsList } from './clients-list.js';

const SECRET_NOTICE = 'Save the client secret now: tokend keeps only its hash and cannot show it again.';

/** A client as the command line shows it: never the secret or its hash. */
function view(client: Client, organization?: Organization) {
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
    dateCreated: isoDate(client.dateCreated),
    dateModified: isoDate(client.dateModified),
  };
}

const create: Command = {
  kind: 'command',
  name: 'create',
  summary: 'Create an OAuth client; shows its generated secret once.',
  details:
    'Roles apply to CLIENT-CREDENTIALS clients (their tokens carry them); scopes restrict user-grant clients; CODE and TOKEN clients need a redirect URI. Repeat --role, --scope and --redirect-uri, or separate values with commas.',
  example: 'tokend clients create --org Demo --name "Billing service" --grant-type CLIENT-CREDENTIALS --role Admin',
  options: {
    org: { type: 'string', value: 'ID|NAME', description: 'the organization (required)' },
    name: { type: 'string', value: 'NAME', description: 'the client name (required)' },
    'grant-type': { type: 'string', value: 'TYPE', description: `${GRANT_TYPES.join(', ')} (required)` },
    role: { type: 'string', multiple: true, value: 'ID|NAME', description: 'a role of the organization (CLIENT-CREDENTIALS)' },
    scope: { type: 'string', multiple: true, value: 'SCOPE', description: 'an allowed scope (user grants)' },
    'redirect-uri': { type: 'string', multiple: true, value: 'URI', description: 'a registered redirect URI (CODE, TOKEN)' },
    'access-token-validity': { type: 'string', value: 'SECONDS', description: `token lifetime, ${ACCESS_TOKEN_VALIDITY.min} to ${ACCESS_TOKEN_VALIDITY.max} (default ${ACCESS_TOKEN_VALIDITY.default})` },
  },
  sections: [DATABASE_SECTION],
  async run({ values }, io) {
    const input = createInput(values);
    const secret = newClientSecret();
    const secretHash = await hashSecret(secret);
    const result = await withStore(values, io.env, async (store) => {
      const organization = await findOrganization(store, input.org);
      const roles = await findRoles(store, organization, input.roles);
      const now = Date.now();
      const client: Client = {
        id: randomUUID(),
        organizationId: organization.id,
        name: input.name,
        secretHash,
        authorizedGrantType: input.grantType,
        scope: input.scope,
        registeredRedirectUri: input.redirectUris,
        roleDivisions: roles.map((role) => ({ roleId: role.id, divisionId: organization.homeDivisionId })),
        accessTokenValiditySeconds: input.validity,
        state: 'active',
        dateCreated: now,
        dateModified: now,
        createdBy: null,
        modifiedBy: null,
        dateToDelete: null,
      };
      await store.insertClient(client);
      return view(client, organization);
    });
    printJson(io, { ...result, secret });
    notice(io, SECRET_NOTICE);
    return 0;
  },
};

/** Checks the flags of `clients create` before anything is hashed or opened. */
function createInput(values: Values) {
  const grantType = requiredValue(values, 'grant-type').toUpperCase();
  if (!(GRANT_TYPES as readonly string[]).includes(grantType)) throw new UsageError(`--grant-type must be one of ${GRANT_TYPES.join(', ')}, not ${grantType}`);
  const input = {
    org: requiredValue(values, 'org'),
    name: requiredValue(values, 'name'),
    grantType: grantType as GrantType,
    roles: listValue(values, 'role'),
    scope: listValue(values, 'scope'),
    redirectUris: listValue(values, 'redirect-uri'),
    validity: ACCESS_TOKEN_VALIDITY.default as number,
  };
  const userGrant = input.grantType !== 'CLIENT-CREDENTIALS';
  if (userGrant && input.roles.length) throw new UsageError('--role applies to CLIENT-CREDENTIALS clients only: user tokens carry the user\'s roles');
  if (!userGrant && input.scope.length) throw new UsageError('--scope applies to user-grant clients only: a CLIENT-CREDENTIALS token carries its roles');
  if ((input.grantType === 'CODE' || input.grantType === 'TOKEN') && !input.redirectUris.length) throw new UsageError(`a ${input.grantType} client needs at least one --redirect-uri`);
  for (const uri of input.redirectUris) if (!URL.canParse(uri)) throw new UsageError(`--redirect-uri ${uri} is not an absolute URI`);
  const validity = stringValue(values, 'access-token-validity');
  if (validity !== undefined) {
    const seconds = Number(validity);
    if (!Number.isInteger(seconds) || seconds < ACCESS_TOKEN_VALIDITY.min || seconds > ACCESS_TOKEN_VALIDITY.max) {
      throw new UsageError(`--access-token-validity must be a whole number of seconds from ${ACCESS_TOKEN_VALIDITY.min} to ${ACCESS_TOKEN_VALIDITY.max}`);
    }
    input.validity = seconds;
  }
  return input;
}

async function existing(store: Store, id: string): Promise<Client> {
  const client = await store.findClient(id);
  if (!client) throw new CliError(`no client with the id ${id} (tokend clients list shows them)`);
  return client;
}

function setState(name: string, state: ClientState, summary: string): Command {
  return {
    kind: 'command',
    name,
    summary,
    example: `tokend clients ${name} 3f1c2b7a-9d8e-4a6b-8c5d-2e1f0a9b8c02`,
    args: ['<clientId>'],
    sections: [DATABASE_SECTION],
    async run({ values, positionals }, io) {
      const id = positionals[0] as string;
      const ended = await withStore(values, io.env, async (store) => {
        await existing(store, id);
        // Disabling revokes the client's tokens in the same transaction (store.ts), so enabling
        // it later brings none of them back.
        const result = await store.setClientState(id, state, Date.now());
        if (!result) throw new CliError(`no client with the id ${id} (tokend clients list shows them)`);
        return result;
      });
      if (state === 'active') {
        printJson(io, { id, state });
        reportEnded(io, `Enabled client ${id}`, {}, 'tokens revoked before stay revoked');
      } else {
        printJson(io, { id, state, ...ended });
        reportEnded(io, `Disabled client ${id}`, ended);
      }
      return 0;
    },
  };
}

const rotateSecret: Command = {
  kind: 'command',
  name: 'rotate-secret',
  summary: 'Give a client a new secret, shown once; the old one stops working.',
  details: 'Tokens issued before the rotation stay valid until they expire.',
  example: 'tokend clients rotate-secret 3f1c2b7a-9d8e-4a6b-8c5d-2e1f0a9b8c02',
  args: ['<clientId>'],
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const id = positionals[0] as string;
    const secret = newClientSecret();
    const secretHash = await hashSecret(secret);
    await withStore(values, io.env, async (store) => {
      await existing(store, id);
      await store.setClientSecretHash(id, secretHash, Date.now());
    });
    printJson(io, { id, secret });
    notice(io, SECRET_NOTICE);
    return 0;
  },
};

export const clientsGroup: Group = {
  kind: 'group',
  name: 'clients',
  summary: 'OAuth clients in the server store (admin: acts on TOKEND_DATABASE, no API call).',
  example: 'tokend clients create --org Demo --name "Billing service" --grant-type CLIENT-CREDENTIALS --role Admin',
  children: [
    create,
    clientsList,
    setState('disable', 'disabled', 'Disable a client: no new tokens, and its tokens and refresh tokens revoked.'),
    setState('enable', 'active', 'Enable a disabled client again (revoked tokens stay revoked).'),
    rotateSecret,
  ],
};
