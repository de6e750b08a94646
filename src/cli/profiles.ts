/**
 * Named profiles and the per-profile token cache, under `$HOME/.tokend/`:
 * `config.json` (profiles, secrets included) and `tokens/<profile>.json` (the cached access
 * token). Both hold secrets, so the directory is created 0700 and every file is written 0600,
 * through a temporary file and a rename so that a crash never leaves half a file.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './output.js';

export interface Profile {
  /** A tokend base URL; or else `region`. */
  url?: string;
  /** A Genesys Cloud region, such as mypurecloud.ie. */
  region?: string;
  clientId?: string;
  clientSecret?: string;
}

export interface ConfigFile {
  /** The profile used when no `--profile` is given. */
  current?: string;
  profiles: Record<string, Profile>;
}

/** A cached token, with what it was issued for: reused only for the same server and client. */
export interface CachedToken {
  api: string;
  login: string;
  clientId: string;
  accessToken: string;
  /** Epoch milliseconds. */
  tokenExpiryTime: number;
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function configDir(env: NodeJS.ProcessEnv): string {
  return join(env.HOME || homedir(), '.tokend');
}

export function configPath(env: NodeJS.ProcessEnv): string {
  return join(configDir(env), 'config.json');
}

export function checkProfileName(name: string): string {
  if (!PROFILE_NAME.test(name)) throw new CliError(`profile name "${name}" is not valid: use letters, digits, '.', '_' and '-' (at most 64)`);
  return name;
}

export function readConfig(env: NodeJS.ProcessEnv): ConfigFile {
  const path = configPath(env);
  const text = readOptional(path);
  if (text === undefined) return { profiles: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${path} is not valid JSON (${(error as Error).message}): fix it or remove it`);
  }
  const profiles = (parsed as ConfigFile | null)?.profiles;
  if (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles)) {
    throw new CliError(`${path} has no "profiles" object: fix it or remove it`);
  }
  return parsed as ConfigFile;
}

export function writeConfig(env: NodeJS.ProcessEnv, config: ConfigFile): void {
  writePrivate(configPath(env), `${JSON.stringify(config, null, 2)}\n`);
}

function tokenPath(env: NodeJS.ProcessEnv, profile: string): string {
  return join(configDir(env), 'tokens', `${checkProfileName(profile)}.json`);
}

/** The cached token of a profile, if there is a readable one. */
export function readCachedToken(env: NodeJS.ProcessEnv, profile: string): CachedToken | undefined {
  const text = readOptional(tokenPath(env, profile));
  if (text === undefined) return undefined;
  try {
    const cached = JSON.parse(text) as CachedToken;
    return typeof cached.accessToken === 'string' && typeof cached.tokenExpiryTime === 'number' ? cached : undefined;
  } catch {
    // A damaged cache only costs a login; it is overwritten after it.
    return undefined;
  }
}

export function writeCachedToken(env: NodeJS.ProcessEnv, profile: string, token: CachedToken): void {
  writePrivate(tokenPath(env, profile), `${JSON.stringify(token)}\n`);
}

export function forgetCachedToken(env: NodeJS.ProcessEnv, profile: string): void {
  rmSync(tokenPath(env, profile), { force: true });
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function writePrivate(path: string, text: string): void {
  const dir = join(path, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  // writeFileSync's mode applies only when it creates the file; a leftover temporary keeps its own.
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
