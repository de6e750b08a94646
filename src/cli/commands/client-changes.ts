/**
 * `tokend clients update` and `tokend clients delete`: through the admin core (ClientAdmin),
 * which decides what a change or a delete ends; this file reads flags and prints.
 */
import { ClientRuleViolation } from '../../core/admin/client-rules.js';
import type { ClientDraft } from '../../core/admin/clients.js';
import { ACCESS_TOKEN_VALIDITY, type Client, CLIENT_STATES, type ClientState } from '../../core/models.js';
import { type Command, listValue, stringValue, UsageError, type Values } from '../args.js';
import { DATABASE_SECTION, findOrganization, findRoles, withCore } from '../admin-store.js';
import { reportEnded } from '../admin-report.js';
import { printJson } from '../output.js';
import { clientView } from './client-view.js';
import { CLI_ACTOR, CLI_FIELD_NAMES, CLIENT_ARG, CLIENT_ORG_OPTION, findClient, noSuchClient, refuseTakenName } from './client-admin.js';

const EXAMPLE_ID = '3f1c2b7a-9d8e-4a6b-8c5d-2e1f0a9b8c02';

/** The flags `clients update` takes; each one given replaces that field, the others stay. */
const CHANGE_FLAGS = ['name', 'description', 'role', 'scope', 'redirect-uri', 'access-token-validity', 'state', 'pre-authorized'] as const;

export const updateClient: Command = {
  kind: 'command',
  name: 'update',
  audited: true,
  summary: 'Change a client: each flag given replaces that field, the others stay.',
  details:
    "A list flag (--role, --scope, --redirect-uri) replaces the whole list; give it once with an empty value to empty it. --state inactive or disabled revokes the client's tokens and refresh tokens, as disable does. Changing --redirect-uri or --scope voids the people's Allows of the app: each is asked again.",
  example: `tokend clients update ${EXAMPLE_ID} --name "Billing service v2" --access-token-validity 3600`,
  args: [CLIENT_ARG],
  options: {
    ...CLIENT_ORG_OPTION,
    name: { type: 'string', value: 'NAME', description: 'the client name' },
    description: { type: 'string', value: 'TEXT', description: 'free text about the client' },
    role: { type: 'string', multiple: true, value: 'ID|NAME', description: 'the roles (CLIENT-CREDENTIALS), replacing the current ones' },
    scope: { type: 'string', multiple: true, value: 'SCOPE', description: 'the allowed scopes (user grants), replacing the current ones' },
    'redirect-uri': { type: 'string', multiple: true, value: 'URI', description: 'the redirect URIs (CODE, TOKEN), replacing the current ones' },
    'access-token-validity': { type: 'string', value: 'SECONDS', description: `token lifetime, ${ACCESS_TOKEN_VALIDITY.min} to ${ACCESS_TOKEN_VALIDITY.max}` },
    state: { type: 'string', value: 'STATE', description: CLIENT_STATES.join(', ') },
    'pre-authorized': { type: 'string', value: 'true|false', description: 'whether its sign-ins skip the consent page (a first-party app)' },
  },
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    if (!CHANGE_FLAGS.some((flag) => values[flag] !== undefined))
      throw new UsageError(`nothing to change: give at least one of ${CHANGE_FLAGS.map((f) => `--${f}`).join(', ')}`);
    const state = stringValue(values, 'state');
    if (state !== undefined && !(CLIENT_STATES as readonly string[]).includes(state))
      throw new UsageError(`--state must be one of ${CLIENT_STATES.join(', ')}, not ${state}`);
    const preAuthorized = stringValue(values, 'pre-authorized')?.toLowerCase();
    if (preAuthorized !== undefined && preAuthorized !== 'true' && preAuthorized !== 'false')
      throw new UsageError(`--pre-authorized takes true or false, not "${stringValue(values, 'pre-authorized')}"`);
    const { id, shown, revokedTokens } = await withCore(values, io.env, async (core) => {
      const clients = core.clientAdmin;
      const existing = await findClient(core, values, positionals[0] as string);
      const id = existing.id;
      const organization = await findOrganization(core, existing.organizationId);
      const name = stringValue(values, 'name');
      if (name !== undefined) await refuseTakenName(core, organization, name, id);
      const roles = values.role === undefined ? undefined : await findRoles(core, organization, listValue(values, 'role'));
      const draft = draftOf(
        existing,
        values,
        roles?.map((role) => ({ roleId: role.id, divisionId: organization.homeDivisionId })),
      );
      try {
        const updated = await clients.update(organization, id, draft, CLI_ACTOR, CLI_FIELD_NAMES);
        if (!updated) throw noSuchClient(id);
        return { id, shown: clientView(updated.client, organization), revokedTokens: updated.revokedTokens };
      } catch (error) {
        if (error instanceof ClientRuleViolation) throw new UsageError(error.message);
        throw error;
      }
    });
    printJson(io, { ...shown, revokedTokens });
    reportEnded(io, `Updated client ${id}`, { revokedTokens });
    return 0;
  },
};

/** The client as it is, with what the flags replace. */
function draftOf(existing: Client, values: Values, roleDivisions: Client['roleDivisions'] | undefined): ClientDraft {
  const given = (flag: string) => values[flag] !== undefined;
  const validity = stringValue(values, 'access-token-validity');
  return {
    name: stringValue(values, 'name') ?? existing.name,
    description: given('description') ? stringValue(values, 'description') || null : (existing.description ?? null),
    authorizedGrantType: existing.authorizedGrantType,
    roleDivisions: roleDivisions ?? existing.roleDivisions,
    scope: given('scope') ? listValue(values, 'scope') : existing.scope,
    registeredRedirectUri: given('redirect-uri') ? listValue(values, 'redirect-uri') : existing.registeredRedirectUri,
    // Not a number at all (`soon`) fails the rule's whole-number check.
    accessTokenValiditySeconds: validity === undefined ? existing.accessTokenValiditySeconds : validity.trim() === '' ? Number.NaN : Number(validity),
    state: (stringValue(values, 'state') as ClientState | undefined) ?? existing.state,
    ...(given('pre-authorized') ? { preAuthorized: stringValue(values, 'pre-authorized')?.toLowerCase() === 'true' } : {}),
  };
}

export const deleteClient: Command = {
  kind: 'command',
  name: 'delete',
  audited: true,
  summary: 'Delete a client: its tokens and refresh tokens are revoked; a seed that does not change it does not bring it back.',
  example: `tokend clients delete ${EXAMPLE_ID}`,
  args: [CLIENT_ARG],
  options: CLIENT_ORG_OPTION,
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const { id, ended } = await withCore(values, io.env, async (core) => {
      const { id } = await findClient(core, values, positionals[0] as string);
      const result = await core.clientAdmin.delete('any', id, CLI_ACTOR);
      if (!result) throw noSuchClient(id);
      return { id, ended: result };
    });
    printJson(io, { id, deleted: true, ...ended });
    reportEnded(io, `Deleted client ${id}`, ended);
    return 0;
  },
};
