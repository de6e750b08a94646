/**
 * Where to connect and how to authenticate, each setting taken from the first source that has
 * it: flags, then the environment (the Genesys tools' variables and TOKEND_URL), then the
 * profile (`--profile`, else the current one).
 */
import type { Environment } from '../sdk/index.js';
import { type Io, type OptionSection, stringValue, UsageError, type Values } from './args.js';
import { CliError } from './output.js';
import { type ConfigFile, type Profile, readConfig } from './profiles.js';
import { readSecret } from './secret-input.js';
import { checkBaseUrl } from './url-hints.js';

const SAFER_SECRET = '--client-secret-stdin, GENESYSCLOUD_OAUTHCLIENT_SECRET or a profile (tokend profile add)';
const SAFER_TOKEN = 'GENESYSCLOUD_ACCESS_TOKEN';

export const CONNECTION_SECTION: OptionSection = {
  title: 'Connection (flags, else GENESYSCLOUD_* and TOKEND_URL variables, else the profile)',
  options: {
    profile: { type: 'string', short: 'p', value: 'NAME', description: 'use this profile instead of the current one' },
    url: { type: 'string', value: 'URL', description: 'a tokend base URL, e.g. http://localhost:8080 (TOKEND_URL)' },
    region: { type: 'string', value: 'REGION', description: 'a Genesys Cloud region, e.g. mypurecloud.ie (GENESYSCLOUD_REGION; also --environment)' },
    'client-id': { type: 'string', value: 'ID', description: 'OAuth client id (GENESYSCLOUD_OAUTHCLIENT_ID; also --clientid)' },
    'client-secret-stdin': { type: 'boolean', description: 'read the OAuth client secret from stdin (one line)' },
    'client-secret': {
      type: 'string',
      value: 'SECRET',
      description: 'OAuth client secret (GENESYSCLOUD_OAUTHCLIENT_SECRET; also --clientsecret); visible to other local users: prefer --client-secret-stdin',
      secret: { instead: SAFER_SECRET },
    },
    'access-token': {
      type: 'string',
      value: 'TOKEN',
      description: 'use this token, no login (GENESYSCLOUD_ACCESS_TOKEN; also --accesstoken); visible to other local users: prefer the variable',
      secret: { instead: SAFER_TOKEN },
    },
    // The Genesys CLI's spellings, so that its command lines work unchanged.
    environment: { type: 'string', value: 'REGION', description: 'same as --region' },
    clientid: { type: 'string', value: 'ID', description: 'same as --client-id' },
    clientsecret: { type: 'string', value: 'SECRET', description: 'same as --client-secret', secret: { instead: SAFER_SECRET } },
    accesstoken: { type: 'string', value: 'TOKEN', description: 'same as --access-token', secret: { instead: SAFER_TOKEN } },
  },
};

export type Auth = { kind: 'token'; accessToken: string } | { kind: 'client'; clientId: string; clientSecret: string };

export interface Connection {
  environment: Environment;
  auth: Auth;
  /** The profile in use, whose token cache applies; undefined when there is none. */
  profile: string | undefined;
}

type Source = 'flags' | 'environment' | 'profile';
interface Found<T> {
  value: T;
  from: Source;
}

const RANK: Record<Source, number> = { flags: 0, environment: 1, profile: 2 };

export function resolveConnection(values: Values, env: NodeJS.ProcessEnv): Connection {
  const flag = (...names: string[]) => names.map((name) => stringValue(values, name)).find((value) => value !== undefined && value !== '');
  const variable = (name: string) => (env[name] === '' ? undefined : env[name]);
  const { name: profileName, profile } = selectProfile(flag('profile'), readConfig(env));

  const flagUrl = flag('url');
  const flagRegion = flag('region', 'environment');
  if (flagUrl && flagRegion) throw new UsageError('give --url or --region, not both');
  const environment =
    locate(flagUrl && checkBaseUrl(flagUrl, '--url'), flagRegion) ??
    locate(variable('TOKEND_URL') && checkBaseUrl(variable('TOKEND_URL') as string, 'TOKEND_URL'), variable('GENESYSCLOUD_REGION')) ??
    locate(profile?.url && checkBaseUrl(profile.url, `the url of profile ${profileName}`), profile?.region);
  if (!environment) {
    throw new CliError('no server given: pass --url or --region, set TOKEND_URL or GENESYSCLOUD_REGION, or add a profile (tokend profile add)');
  }

  const first = <T>(flagValue: T | undefined, envValue: T | undefined, profileValue: T | undefined): Found<T> | undefined =>
    flagValue !== undefined
      ? { value: flagValue, from: 'flags' }
      : envValue !== undefined
        ? { value: envValue, from: 'environment' }
        : profileValue !== undefined
          ? { value: profileValue, from: 'profile' }
          : undefined;
  const accessToken = first(flag('access-token', 'accesstoken'), variable('GENESYSCLOUD_ACCESS_TOKEN'), undefined);
  const clientId = first(flag('client-id', 'clientid'), variable('GENESYSCLOUD_OAUTHCLIENT_ID'), profile?.clientId);
  const clientSecret = first(flag('client-secret', 'clientsecret'), variable('GENESYSCLOUD_OAUTHCLIENT_SECRET'), profile?.clientSecret);

  // A token given where it outranks the client credentials (or with none) is used as it is.
  if (accessToken && (!clientId || RANK[accessToken.from] <= RANK[clientId.from])) {
    return { environment, auth: { kind: 'token', accessToken: accessToken.value }, profile: profileName };
  }
  if (clientId && clientSecret) {
    return { environment, auth: { kind: 'client', clientId: clientId.value, clientSecret: clientSecret.value }, profile: profileName };
  }
  if (clientId) throw new CliError('a client id but no client secret: pass --client-secret or set GENESYSCLOUD_OAUTHCLIENT_SECRET');
  throw new CliError(
    'no credentials: pass --client-id and --client-secret (or --access-token), set GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET, or add a profile (tokend profile add)',
  );
}

/**
 * `values` with the secret `--client-secret-stdin` read in place of `--client-secret`; as they
 * were without it. Refuses the secret given both ways.
 */
export async function withSecretFromStdin(values: Values, io: Io): Promise<Values> {
  if (values['client-secret-stdin'] !== true) return values;
  if (stringValue(values, 'clientsecret') !== undefined) throw new UsageError('give --clientsecret or --client-secret-stdin, not both');
  const secret = await readSecret(values, io, { flag: 'client-secret', stdinFlag: 'client-secret-stdin', label: 'Client secret' });
  return { ...values, 'client-secret': secret, 'client-secret-stdin': undefined };
}

function locate(url: string | undefined, region: string | undefined): Environment | undefined {
  if (url) return { baseUrl: url };
  if (region) return { region };
  return undefined;
}

function selectProfile(requested: string | undefined, config: ConfigFile): { name: string | undefined; profile: Profile | undefined } {
  const name = requested ?? config.current;
  if (name === undefined) return { name: undefined, profile: undefined };
  const profile = Object.hasOwn(config.profiles, name) ? config.profiles[name] : undefined;
  if (!profile) {
    const known = Object.keys(config.profiles);
    throw new CliError(`no profile named "${name}"${known.length ? ` (profiles: ${known.join(', ')})` : ''}: add it with tokend profile add ${name}`);
  }
  return { name, profile };
}
