/**
 * `tokend tokens ...`: the Genesys CLI's token commands (same tree and flags as `gc tokens`),
 * through the SDK against tokend or a Genesys Cloud region; and `revoke-user`, which acts on the
 * server's store directly.
 */
import { readFile } from 'node:fs/promises';
import type { ApiClient, IdleTokenTimeout, TokensApi } from '../../sdk/index.js';
import { TokensApi as Tokens } from '../../sdk/index.js';
import type { Command, Group, Io, Parsed } from '../args.js';
import { requiredValue, UsageError } from '../args.js';
import { CONNECTION_SECTION, resolveConnection, withSecretFromStdin } from '../credentials.js';
import { CliError, printJson } from '../output.js';
import { openSession } from '../session.js';
import { readAll } from '../secret-input.js';
import { revokeAll } from './revoke-all.js';
import { revokeUser } from './revoke-user.js';
import { tokensList } from './tokens-list.js';

interface ApiCommandSpec<T> {
  name: string;
  summary: string;
  example: string;
  options?: Command['options'];
  args?: string[];
  details?: string;
  /** Reads and checks the input before logging in, so a bad file costs no token. */
  prepare?: (parsed: Parsed, io: Io) => Promise<T>;
  /** Runs the call; what it returns is printed as JSON (nothing for undefined). */
  call: (tokens: TokensApi, input: T, parsed: Parsed, client: ApiClient) => Promise<unknown>;
  /** The call revokes the token it was made with: the cache must forget it. */
  revokesOwnToken?: boolean;
}

function apiCommand<T = undefined>(spec: ApiCommandSpec<T>): Command {
  return {
    kind: 'command',
    name: spec.name,
    summary: spec.summary,
    example: spec.example,
    sections: [CONNECTION_SECTION],
    ...(spec.options ? { options: spec.options } : {}),
    ...(spec.args ? { args: spec.args } : {}),
    ...(spec.details ? { details: spec.details } : {}),
    async run(parsed, io) {
      const input = (spec.prepare ? await spec.prepare(parsed, io) : undefined) as T;
      const values = await withSecretFromStdin(parsed.values, io);
      const session = await openSession(resolveConnection(values, io.env), io.env);
      let result: unknown;
      try {
        result = await spec.call(new Tokens(session.client), input, parsed, session.client);
      } catch (error) {
        session.finish({ error });
        throw error;
      }
      session.finish({ revoked: spec.revokesOwnToken === true });
      if (result !== undefined) printJson(io, result);
      return 0;
    },
  };
}

const meGroup: Group = {
  kind: 'group',
  name: 'me',
  summary: 'The token making the request: /api/v2/tokens/me.',
  example: 'tokend tokens me get --preserveIdleTTL --profile demo',
  children: [
    apiCommand({
      name: 'get',
      summary: 'Fetch information about the current token (GET /api/v2/tokens/me).',
      example: 'tokend tokens me get --preserveIdleTTL=true --profile demo',
      options: { preserveIdleTTL: { type: 'boolean', boolish: true, description: "leave the token's idle clock where it is (default: restart it)" } },
      call: (tokens, _, { values }) => tokens.getTokensMe(values.preserveIdleTTL ? { preserveIdleTTL: true } : {}),
    }),
    apiCommand({
      name: 'head',
      summary: 'Verify the current token (HEAD /api/v2/tokens/me).',
      details: 'Exit 0 when the token is valid, 1 when not; nothing is printed.',
      example: 'tokend tokens me head --profile demo && echo valid',
      call: (tokens) => tokens.headTokensMe(),
    }),
    apiCommand({
      name: 'delete',
      summary: 'Revoke the current token, i.e. sign out (DELETE /api/v2/tokens/me).',
      details: 'The cached token of the profile is forgotten too. Nothing is printed.',
      example: 'tokend tokens me delete --profile demo',
      call: (tokens) => tokens.deleteTokensMe(),
      revokesOwnToken: true,
    }),
  ],
};

const timeoutGroup: Group = {
  kind: 'group',
  name: 'timeout',
  summary: "The organization's idle token timeout: /api/v2/tokens/timeout.",
  example: 'tokend tokens timeout get --profile demo',
  children: [
    apiCommand({
      name: 'get',
      summary: 'Get the current idle token timeout (GET /api/v2/tokens/timeout).',
      example: 'tokend tokens timeout get --profile demo',
      call: (tokens) => tokens.getTokensTimeout(),
    }),
    apiCommand<IdleTokenTimeout>({
      name: 'update',
      summary: 'Update or enable/disable the idle token timeout (PUT /api/v2/tokens/timeout).',
      example: `echo '{"enableIdleTokenTimeout": true, "idleTokenTimeoutSeconds": 1800}' | tokend tokens timeout update -f - --profile demo`,
      options: { file: { type: 'string', short: 'f', value: 'FILE', description: 'file name containing the JSON body (- for stdin); required' } },
      details:
        'The body is an IdleTokenTimeout, e.g. {"enableIdleTokenTimeout": true, "idleTokenTimeoutSeconds": 1800}. Prints the timeout as stored. Needs the permission directory:organization:admin and the scope authorization.',
      prepare: ({ values }, io) => {
        const file = requiredValue(values, 'file');
        if (file === '-' && values['client-secret-stdin'] === true)
          throw new UsageError('-f - and --client-secret-stdin both read stdin: give the body in a file');
        return readBody(file, io);
      },
      call: (tokens, body) => tokens.putTokensTimeout({ body }),
    }),
  ],
};

/** An id as given; an email (it has an @) as the users search finds it: exactly one person, else a one-line refusal. */
async function userIdOf(client: ApiClient, reference: string): Promise<string> {
  if (!reference.includes('@')) return reference;
  const { body } = await client.request<{ results?: Array<{ id: string }> }>({
    method: 'POST',
    path: '/api/v2/users/search',
    body: { query: [{ type: 'EXACT', fields: ['email'], value: reference }] },
  });
  const ids = (body.results ?? []).map((user) => user.id);
  if (ids.length === 1) return ids[0] as string;
  if (ids.length === 0) throw new CliError(`no user with the email ${reference} in the client's organization`);
  throw new CliError(`${ids.length} users have the email ${reference}: give one of their ids: ${[...ids].sort().join(', ')}`);
}

async function readBody(file: string, io: Io): Promise<IdleTokenTimeout> {
  let text: string;
  try {
    text = file === '-' ? await readAll(io.stdin) : await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as IdleTokenTimeout;
  } catch (error) {
    throw new CliError(`${file === '-' ? 'stdin' : file} is not JSON: ${(error as Error).message}`);
  }
}

export const tokensGroup: Group = {
  kind: 'group',
  name: 'tokens',
  summary: 'The Tokens API (/api/v2/tokens), and revoking tokens in the server store.',
  example:
    'printf %s demo-service-secret-change-me | tokend tokens me get --url http://localhost:8080 --client-id 3f1c2b7a-9d8e-4a6b-8c5d-2e1f0a9b8c01 --client-secret-stdin',
  children: [
    meGroup,
    apiCommand({
      name: 'delete',
      summary: 'Delete all auth tokens of a user (DELETE /api/v2/tokens/{userId}).',
      details:
        'Needs the permission oauth:token:delete. Nothing is printed. An email is looked up first with the users search (POST /api/v2/users/search), which needs directory:user:view.',
      example: 'tokend tokens delete 0a9c7d52-1e2b-4f3c-8d4e-5f6a7b8c9d02 --profile demo',
      args: ['<userId|email>'],
      call: async (tokens, _, { positionals }, client) => tokens.deleteToken(await userIdOf(client, positionals[0] as string)),
    }),
    timeoutGroup,
    tokensList,
    revokeUser,
    revokeAll,
  ],
};
