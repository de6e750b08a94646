/**
 * The shape of the command tree: groups of commands, and commands that declare their options
 * once, so that parsing, `--help` and the usage shown after a mistake all come from one place.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { closest, didYouMean } from '../did-you-mean.js';

/** Where a command reads and writes; tests of the built CLI see the real process streams. */
export interface Io {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** The value's name in the help, such as FILE. */
  value?: string;
  description: string;
  /**
   * A boolean that also takes `=true`/`=false` or a following `true`/`false`, in any letter
   * case, as the Genesys CLI's query flags do (`--preserveIdleTTL=true`, `=True`).
   */
  boolish?: boolean;
  /**
   * The value is a secret: on the command line every local user reads it (`ps`, /proc) and the
   * shell keeps it in its history, so giving it there prints a warning naming `instead`.
   * `when` narrows it to the values that hold one (a database URL with a password).
   */
  secret?: { instead: string; when?: (value: string) => boolean };
}

export type OptionSpecs = Record<string, OptionSpec>;

/** A titled block of options shared by several commands (connection, database). */
export interface OptionSection {
  title: string;
  options: OptionSpecs;
}

export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Parsed {
  values: Values;
  positionals: string[];
}

export interface Command {
  kind: 'command';
  name: string;
  summary: string;
  /** Positional arguments for the usage line, such as `<userId>`. */
  args?: string[];
  /** Required positionals; optional ones are written `[name]` in `args`. */
  minArgs?: number;
  options?: OptionSpecs;
  sections?: OptionSection[];
  /** More to say in `--help`, one paragraph. */
  details?: string;
  example: string;
  /** It changes the server's store: each run writes one audit line (core/audit.ts) on stderr. */
  audited?: true;
  run(parsed: Parsed, io: Io): Promise<number>;
}

export interface Group {
  kind: 'group';
  name: string;
  summary: string;
  children: Array<Command | Group>;
  example: string;
}

/**
 * A mistake in how the command was typed: one line, then the usage of that command. Exit 1, or
 * 2 for a name tokend does not know (a command or an option: most often a typo, answered with
 * "did you mean"), as shells and most CLIs exit on a misuse they cannot even start.
 */
export class UsageError extends Error {
  /** The command or group whose usage to show; the root's where unset. */
  node: Command | Group | undefined;
  path: string[] | undefined;
  exitCode: 1 | 2;
  constructor(message: string, node?: Command | Group, path?: string[], exitCode: 1 | 2 = 1) {
    super(message);
    this.node = node;
    this.path = path;
    this.exitCode = exitCode;
  }
}

/** Every option a command takes, its own and its sections'. */
export function allOptions(command: Command): OptionSpecs {
  return Object.assign({}, command.options, ...(command.sections ?? []).map((section) => section.options));
}

/** Parses a command's arguments strictly: an unknown option or a missing value is a UsageError. */
export function parseCommand(command: Command, argv: string[], path: string[]): Parsed {
  const specs = allOptions(command);
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) };
  }
  let parsed: Parsed;
  try {
    const result = parseArgs({ args: normalizeBoolish(argv, specs), options, allowPositionals: true, strict: true });
    parsed = { values: result.values as Values, positionals: result.positionals };
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message, command, path, error.exitCode);
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw unknownOption(oneLine((error as Error).message), specs, command, path);
    if (code?.startsWith('ERR_PARSE_ARGS')) throw new UsageError(oneLine((error as Error).message), command, path);
    throw error;
  }
  const max = command.args?.length ?? 0;
  const min = command.minArgs ?? max;
  const { positionals } = parsed;
  if (positionals.length > max) throw new UsageError(`unexpected argument: ${positionals[max]}`, command, path);
  if (positionals.length < min) throw new UsageError(`missing ${command.args?.[positionals.length] ?? 'argument'}`, command, path);
  return parsed;
}

/** "Unknown option '--emial' - did you mean --email?", exit 2. */
function unknownOption(message: string, specs: OptionSpecs, command: Command, path: string[]): UsageError {
  const typed = /^Unknown option '--([^'=]+)/.exec(message)?.[1];
  const suggestions = typed === undefined ? [] : closest(typed, Object.keys(specs)).map((name) => `--${name}`);
  return new UsageError(`${message}${didYouMean(suggestions)}`, command, path, 2);
}

/**
 * `--flag=true`, `--flag true` → `--flag`; `--flag=false`, `--flag false` → nothing; and
 * `--option -value` → `--option=-value`.
 */
function normalizeBoolish(argv: string[], specs: OptionSpecs): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const match = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    const spec = match ? specs[match[1] as string] : undefined;
    if (spec?.type === 'string' && match?.[2] === undefined && startsLikeValue(argv[i + 1], specs)) {
      // Tokens and generated secrets are base64url and may begin with '-', which parseArgs
      // would take for an option: joined as --name=value, they stay values.
      out.push(`${arg}=${argv[i + 1]}`);
      i++;
      continue;
    }
    if (!match || !spec?.boolish) {
      out.push(arg);
      continue;
    }
    // Any letter case, as the server's query booleans (validation.ts): .NET SDKs send `True`.
    let value = match[2]?.toLowerCase();
    const next = argv[i + 1]?.toLowerCase();
    if (value === undefined && (next === 'true' || next === 'false')) {
      value = next;
      i++;
    }
    if (value !== undefined && value !== 'true' && value !== 'false') {
      throw new UsageError(`--${match[1]} takes true or false, not "${match[2]}"`);
    }
    if (value !== 'false') out.push(`--${match[1]}`);
  }
  return out;
}

/** A following argument that begins with '-' but names no option of the command. */
function startsLikeValue(next: string | undefined, specs: OptionSpecs): boolean {
  if (next === undefined || !next.startsWith('-') || next === '-' || next === '--') return false;
  if (next.startsWith('--')) return !Object.hasOwn(specs, next.slice(2).split('=')[0] as string);
  return !Object.values(specs).some((spec) => spec.short !== undefined && next === `-${spec.short}`);
}

// Node's parse errors run on over two sentences, and say "ambiguous" for a missing value.
function oneLine(message: string): string {
  const first = message.split('\n')[0] ?? message;
  const missing = /^Option '(-[^' ]+)(?: <value>)?' argument (?:is ambiguous|missing)/.exec(first);
  if (missing) return `${missing[1]} needs a value`;
  return first.replace(/\. To specify a positional argument.*$/, '');
}

/** A string option's value, or undefined. */
export function stringValue(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A repeatable string option's values; commas also separate (`--role a,b`). */
export function listValue(values: Values, name: string): string[] {
  const value = values[name];
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  return raw
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A string option that must be there. */
export function requiredValue(values: Values, name: string): string {
  const value = stringValue(values, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}
