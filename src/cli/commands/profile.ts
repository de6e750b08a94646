/** `tokend profile ...`: named connections in ~/.tokend/config.json (mode 0600). Never prints a secret. */
import { resolveEnvironment } from '../../sdk/index.js';
import { type Command, type Group, stringValue, UsageError } from '../args.js';
import { CliError, printJson } from '../output.js';
import { checkProfileName, type ConfigFile, configPath, forgetCachedToken, type Profile, readConfig, writeConfig } from '../profiles.js';
import { readSecret } from '../secret-input.js';
import { checkBaseUrl } from '../url-hints.js';

/** A profile as shown: everything but the secret, which is only said to be there. */
function view(name: string, profile: Profile, config: ConfigFile) {
  return {
    name,
    current: config.current === name,
    ...(profile.url ? { url: profile.url } : {}),
    ...(profile.region ? { region: profile.region } : {}),
    ...(profile.clientId ? { clientId: profile.clientId } : {}),
    hasClientSecret: profile.clientSecret !== undefined,
  };
}

function known(config: ConfigFile, name: string): Profile {
  const profile = Object.hasOwn(config.profiles, name) ? config.profiles[name] : undefined;
  if (!profile) {
    const names = Object.keys(config.profiles);
    throw new CliError(`no profile named "${name}" (${names.length ? `profiles: ${names.join(', ')}` : 'none yet: tokend profile add'})`);
  }
  return profile;
}

const add: Command = {
  kind: 'command',
  name: 'add',
  summary: 'Add a profile, or replace the one of that name.',
  details:
    'The first profile becomes the current one. The secret is stored in the config file, readable by you alone (mode 0600). With no client id, the profile only names a server (use it with --access-token).',
  example:
    'printf %s demo-service-secret-change-me | tokend profile add demo --url http://localhost:8080 --client-id 3f1c2b7a-9d8e-4a6b-8c5d-2e1f0a9b8c01 --client-secret-stdin',
  args: ['<name>'],
  options: {
    url: { type: 'string', value: 'URL', description: 'a tokend base URL' },
    region: { type: 'string', value: 'REGION', description: 'or a Genesys Cloud region, e.g. mypurecloud.ie' },
    'client-id': { type: 'string', value: 'ID', description: 'the OAuth client id (client credentials grant)' },
    'client-secret': {
      type: 'string',
      value: 'SECRET',
      description: 'its secret (visible to other local users: prefer the next)',
      secret: { instead: '--client-secret-stdin' },
    },
    'client-secret-stdin': { type: 'boolean', description: 'read the secret from stdin; at a terminal it is asked for' },
    use: { type: 'boolean', description: 'make it the current profile' },
  },
  async run({ values, positionals }, io) {
    const name = checkProfileName(positionals[0] as string);
    const url = stringValue(values, 'url');
    const region = stringValue(values, 'region');
    if (!url === !region) throw new UsageError('give --url or --region (one of them)');
    // Refuse a typo now rather than on the first call.
    if (url) checkBaseUrl(url, '--url');
    try {
      resolveEnvironment(url ? { baseUrl: url } : { region: region as string });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const clientId = stringValue(values, 'client-id');
    const wantsSecret = stringValue(values, 'client-secret') !== undefined || values['client-secret-stdin'] === true;
    if (!clientId && wantsSecret) throw new UsageError('a client secret needs --client-id');
    const source = { flag: 'client-secret', stdinFlag: 'client-secret-stdin', label: 'Client secret' };
    const clientSecret = clientId ? await readSecret(values, io, source) : undefined;
    const config = readConfig(io.env);
    const profile: Profile = { ...(url ? { url } : { region }), ...(clientId ? { clientId, clientSecret } : {}) };
    config.profiles[name] = profile;
    if (config.current === undefined || values.use === true) config.current = name;
    writeConfig(io.env, config);
    // The cached token may belong to what the profile named before.
    forgetCachedToken(io.env, name);
    printJson(io, { ...view(name, profile, config), file: configPath(io.env) });
    return 0;
  },
};

const list: Command = {
  kind: 'command',
  name: 'list',
  summary: 'List the profiles (secrets are never shown).',
  example: 'tokend profile list',
  async run(_, io) {
    const config = readConfig(io.env);
    printJson(
      io,
      Object.entries(config.profiles).map(([name, profile]) => view(name, profile, config)),
    );
    return 0;
  },
};

const use: Command = {
  kind: 'command',
  name: 'use',
  summary: 'Make a profile the current one (used without --profile).',
  example: 'tokend profile use demo',
  args: ['<name>'],
  async run({ positionals }, io) {
    const name = positionals[0] as string;
    const config = readConfig(io.env);
    known(config, name);
    config.current = name;
    writeConfig(io.env, config);
    printJson(io, { current: name });
    return 0;
  },
};

const remove: Command = {
  kind: 'command',
  name: 'remove',
  summary: 'Remove a profile and its cached token.',
  example: 'tokend profile remove demo',
  args: ['<name>'],
  async run({ positionals }, io) {
    const name = positionals[0] as string;
    const config = readConfig(io.env);
    known(config, name);
    delete config.profiles[name];
    if (config.current === name) delete config.current;
    writeConfig(io.env, config);
    forgetCachedToken(io.env, name);
    printJson(io, { removed: name, current: config.current ?? null });
    return 0;
  },
};

export const profileGroup: Group = {
  kind: 'group',
  name: 'profile',
  summary: 'Named connections (server and client credentials) in ~/.tokend/config.json.',
  example: 'tokend profile list',
  children: [add, list, use, remove],
};
