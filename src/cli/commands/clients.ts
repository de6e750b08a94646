/**
 * `tokend clients ...`: OAuth clients in the server store. A generated secret is shown once,
 * when it is made, and stored only as its scrypt hash.
 */
import { clientRuleViolation } from '../../core/admin/client-rules.js';
import { ACCESS_TOKEN_VALIDITY, type ClientState, GRANT_TYPES } from '../../core/models.js';
import { type Command, type Group, listValue, requiredValue, stringValue, UsageError, type Values } from '../args.js';
import { clientView } from './client-view.js';
import { DATABASE_SECTION, findOrganization, findRoles, withCore } from '../admin-store.js';
import { reportEnded } from '../admin-report.js';
import { CliError, notice, printJson } from '../output.js';
import { confirm } from '../secret-input.js';
import { clientsList } from './clients-list.js';
import { CLI_ACTOR, CLI_FIELD_NAMES, CLIENT_ARG, CLIENT_ORG_OPTION, findClient, noSuchClient, refuseTakenName, SECRET_NOTICE } from './client-admin.js';
import { deleteClient, updateClient } from './client-changes.js';

const create: Command = {
  kind: 'command',
  name: 'create',
  audited: true,
  summary: 'Create an OAuth client; shows its generated secret once.',
  details:
    'Roles apply to CLIENT-CREDENTIALS clients (their tokens carry them); scopes restrict user-grant clients; CODE and TOKEN clients need a redirect URI. Repeat --role, --scope and --redirect-uri, or separate values with commas.',
  example: 'tokend clients create --org Demo --name "Billing service" --grant-type CLIENT-CREDENTIALS --role Admin',
  options: {
    org: { type: 'string', value: 'ID|NAME', description: 'the organization (required)' },
    name: { type: 'string', value: 'NAME', description: 'the client name (required)' },
    description: { type: 'string', value: 'TEXT', description: 'free text about the client, shown on the consent page' },
    'grant-type': { type: 'string', value: 'TYPE', description: `${GRANT_TYPES.join(', ')} (required)` },
    role: { type: 'string', multiple: true, value: 'ID|NAME', description: 'a role of the organization (CLIENT-CREDENTIALS)' },
    scope: { type: 'string', multiple: true, value: 'SCOPE', description: 'an allowed scope (user grants)' },
    'redirect-uri': { type: 'string', multiple: true, value: 'URI', description: 'a registered redirect URI (CODE, TOKEN)' },
    'access-token-validity': {
      type: 'string',
      value: 'SECONDS',
      description: `token lifetime, ${ACCESS_TOKEN_VALIDITY.min} to ${ACCESS_TOKEN_VALIDITY.max} (default ${ACCESS_TOKEN_VALIDITY.default})`,
    },
    'pre-authorized': {
      type: 'boolean',
      boolish: true,
      description: 'a first-party app: its sign-ins skip the consent page (CODE, TOKEN; the API cannot set this)',
    },
  },
  sections: [DATABASE_SECTION],
  async run({ values }, io) {
    const input = createInput(values);
    const result = await withCore(values, io.env, async (core) => {
      const organization = await findOrganization(core, input.org);
      await refuseTakenName(core, organization, input.name);
      const roles = await findRoles(core, organization, input.roles);
      const { client, secret } = await core.clientAdmin.create(
        organization,
        {
          name: input.name,
          ...(input.description === undefined ? {} : { description: input.description }),
          authorizedGrantType: input.grantType,
          roleDivisions: roles.map((role) => ({ roleId: role.id, divisionId: organization.homeDivisionId })),
          scope: input.scope,
          registeredRedirectUri: input.redirectUris,
          accessTokenValiditySeconds: input.validity,
          ...(input.preAuthorized ? { preAuthorized: true } : {}),
        },
        CLI_ACTOR,
        CLI_FIELD_NAMES,
      );
      return { ...clientView(client, organization), secret };
    });
    printJson(io, result);
    notice(io, SECRET_NOTICE);
    return 0;
  },
};

/** Checks the flags of `clients create` against the client rules before anything is hashed or opened. */
function createInput(values: Values) {
  const validity = stringValue(values, 'access-token-validity');
  const input = {
    org: requiredValue(values, 'org'),
    name: requiredValue(values, 'name'),
    description: stringValue(values, 'description') || undefined,
    grantType: requiredValue(values, 'grant-type').toUpperCase(),
    preAuthorized: values['pre-authorized'] === true,
    roles: listValue(values, 'role'),
    scope: listValue(values, 'scope'),
    redirectUris: listValue(values, 'redirect-uri'),
    // Not a number at all (`--access-token-validity soon`) fails the rule's whole-number check.
    validity: validity === undefined ? ACCESS_TOKEN_VALIDITY.default : validity.trim() === '' ? Number.NaN : Number(validity),
  };
  const violation = clientRuleViolation(
    {
      authorizedGrantType: input.grantType,
      roleCount: input.roles.length,
      scope: input.scope,
      registeredRedirectUri: input.redirectUris,
      accessTokenValiditySeconds: input.validity,
      preAuthorized: input.preAuthorized,
    },
    CLI_FIELD_NAMES,
  );
  if (violation) throw new UsageError(violation.message);
  return input;
}

function setState(name: string, state: ClientState, summary: string): Command {
  return {
    kind: 'command',
    name,
    audited: true,
    summary,
    example: `tokend clients ${name} 3f1c2b7a-9d8e-4a6b-8c5d-2e1f0a9b8c02`,
    args: [CLIENT_ARG],
    options: CLIENT_ORG_OPTION,
    sections: [DATABASE_SECTION],
    async run({ values, positionals }, io) {
      const { id, ended } = await withCore(values, io.env, async (core) => {
        const { id } = await findClient(core, values, positionals[0] as string);
        // Disabling revokes the client's tokens in the same transaction (store.ts), so enabling
        // it later brings none of them back.
        const result = await core.clientAdmin.setState('any', id, state, CLI_ACTOR);
        if (!result) throw noSuchClient(id);
        return { id, ended: result };
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
  audited: true,
  summary: 'Give a client a new secret, shown once; the old one stops working at once (asks first, --yes skips).',
  details:
    'At a terminal it asks before the old secret stops working; --yes skips the question. Without a terminal to ask on (a script, a pipe) it refuses unless --yes is given, so that no script rotates a secret by mistake. ' +
    'Tokens issued before the rotation stay valid until they expire.',
  example: 'tokend clients rotate-secret "Demo password app" --yes',
  args: [CLIENT_ARG],
  options: { ...CLIENT_ORG_OPTION, yes: { type: 'boolean', description: 'rotate without asking' } },
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const client = await withCore(values, io.env, (core) => findClient(core, values, positionals[0] as string));
    const what = `the secret of client ${JSON.stringify(client.name)} (${client.id})`;
    if (values.yes !== true) {
      if (!io.stdin.isTTY)
        throw new CliError(`rotate-secret replaces ${what}, and the old one stops working at once: add --yes to go ahead (no terminal to ask on)`);
      if (!(await confirm(io, `Replace ${what}? The old secret stops working at once. [y/N] `))) throw new CliError('not confirmed; nothing was changed');
    }
    const { secret } = await withCore(values, io.env, async (core) => {
      const regenerated = await core.clientAdmin.regenerateSecret('any', client.id, CLI_ACTOR);
      if (!regenerated) throw noSuchClient(client.id);
      return regenerated;
    });
    printJson(io, { id: client.id, secret });
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
    updateClient,
    deleteClient,
  ],
};
