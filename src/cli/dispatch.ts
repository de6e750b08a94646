/**
 * Walks the command tree: `--help` at any level, `--version` at the root, a one-line error and
 * the usage for a mistake ("did you mean" when a name is unknown but close to one).
 */
import { hostname, userInfo } from 'node:os';
import type { AuditActor, AuditEntry } from '../core/audit.js';
import { allOptions, type Command, type Group, type Io, type Parsed, parseCommand, UsageError } from './args.js';
import { commandHelp, groupHelp, helpWidth } from './help.js';
import { errorLine } from './output.js';
import { closest, didYouMean } from '../did-you-mean.js';
import { packageVersion } from './version.js';

const HELP = new Set(['--help', '-h', 'help']);
const VERSION = '--version';

/** Runs the command `argv` names under `root`; returns the exit code (0, 1, or 2 for an unknown command or option). */
export async function dispatch(root: Group, argv: string[], io: Io): Promise<number> {
  try {
    return await walk(root, argv, [root.name], io);
  } catch (error) {
    if (error instanceof UsageError) {
      const node = error.node ?? root;
      const path = error.path ?? [root.name];
      // A name tokend does not know (exit 2) is most often a typo: the line with its nearest
      // names is what helps, and the usage would bury it; other mistakes show the usage.
      if (error.exitCode === 2) io.stderr.write(`${root.name}: ${error.message}\n${helpPointer(path)}\n`);
      else {
        const width = helpWidth(io.stderr);
        io.stderr.write(`${root.name}: ${error.message}\n\n${node.kind === 'group' ? groupHelp(node, path, width) : commandHelp(node, path, width)}`);
      }
      return error.exitCode;
    }
    writeError(root.name, error, io);
    return 1;
  }
}

/** Where the usage is, for a mistake shown without it. */
function helpPointer(path: string[]): string {
  return `Run '${path.join(' ')} --help' for the usage.`;
}

function writeError(root: string, error: unknown, io: Io): void {
  io.stderr.write(`${root}: ${errorLine(error)}\n`);
}

async function walk(node: Command | Group, argv: string[], path: string[], io: Io): Promise<number> {
  if (node.kind === 'command') {
    // Help wins over everything else on the line, as in most CLIs (`tokend clients create --help`).
    const beforeDashDash = argv.indexOf('--') === -1 ? argv : argv.slice(0, argv.indexOf('--'));
    if (beforeDashDash.some((arg) => arg === '--help' || arg === '-h')) {
      io.stdout.write(commandHelp(node, path, helpWidth(io.stdout)));
      return 0;
    }
    try {
      const parsed = parseCommand(node, argv, path);
      warnOfSecretsInArgv(node, parsed, io, path[0] as string);
      if (!node.audited) return await node.run(parsed, io);
      return await audited(node, parsed, path, io);
    } catch (error) {
      // A usage mistake found while running (a missing required option) shows this command's usage.
      if (error instanceof UsageError && !error.node) throw new UsageError(error.message, node, path, error.exitCode);
      throw error;
    }
  }
  const [next, ...rest] = argv;
  if (next === undefined) throw new UsageError(`missing command after '${path.join(' ')}'`, node, path);
  if (HELP.has(next)) {
    io.stdout.write(groupHelp(node, path, helpWidth(io.stdout)));
    return 0;
  }
  const atRoot = path.length === 1;
  if (atRoot && next === VERSION) {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const child = node.children.find((candidate) => candidate.name === next);
  if (!child) throw unknownName(node, next, path, atRoot);
  return walk(child, rest, [...path, child.name], io);
}

/**
 * Runs a command that changes the store and writes its audit line on stderr, in the server log's
 * shape (core/audit.ts): the operator's login name, the command, what it named, and how it ended.
 */
async function audited(command: Command, parsed: Parsed, path: string[], io: Io): Promise<number> {
  const target = targetOf(command, parsed);
  const write = (status: number) => {
    const entry: AuditEntry = { action: path.join(' '), actor: operator(), target, result: status === 0 ? 'succeeded' : 'refused', status };
    io.stderr.write(`${JSON.stringify({ level: 30, time: Date.now(), pid: process.pid, hostname: hostname(), msg: 'audit', audit: entry })}\n`);
  };
  try {
    const code = await command.run(parsed, io);
    write(code);
    return code;
  } catch (error) {
    // A mistake in how the command was typed attempted nothing: it is shown with the usage, unaudited.
    if (error instanceof UsageError) throw error;
    // A refusal (an unknown user, a rule of the admin core): its line first, then the record of it.
    writeError(path[0] as string, error, io);
    write(1);
    return 1;
  }
}

/**
 * What a command acted on: its arguments by their usage names (`userId`), and the values of its
 * string options (`--org`, `--email`, `--role`), never of one that may carry a secret (a
 * password, a client secret, a database URL).
 */
function targetOf(command: Command, { positionals, values }: Parsed): Record<string, string> {
  const target: Record<string, string> = {};
  positionals.forEach((value, i) => {
    target[(command.args?.[i] ?? `arg${i}`).replace(/[<>[\]]/g, '')] = value;
  });
  for (const [name, spec] of Object.entries(allOptions(command))) {
    const value = values[name];
    if (spec.type !== 'string' || spec.secret !== undefined || value === undefined) continue;
    target[name] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return target;
}

/** Who runs the command: the login name, as the log of a server would show a token's client. */
function operator(): AuditActor {
  try {
    return { kind: 'operator', name: userInfo().username };
  } catch {
    return { kind: 'operator', name: String(process.getuid?.() ?? 'unknown') };
  }
}

/** One line on stderr per secret given as a flag, naming the safer way; the command still runs. */
function warnOfSecretsInArgv(command: Command, { values }: Parsed, io: Io, root: string): void {
  for (const [name, spec] of Object.entries(allOptions(command))) {
    const value = values[name];
    if (spec.secret === undefined || typeof value !== 'string' || value === '') continue;
    if (spec.secret.when !== undefined && !spec.secret.when(value)) continue;
    io.stderr.write(
      `${root}: warning: --${name} puts a secret on the command line, where other local users see it (ps) and the shell history keeps it; use ${spec.secret.instead}\n`,
    );
  }
}

/** An unknown command (or, before any command, an option): exit 2 with the nearest names, else where options go. */
function unknownName(node: Group, typed: string, path: string[], atRoot: boolean): UsageError {
  if (typed.startsWith('-')) {
    const suggestions = closest(typed.replace(/^-+/, ''), atRoot ? ['help', 'version'] : ['help']).map((name) => `--${name}`);
    if (suggestions.length > 0) return new UsageError(`unknown option: ${typed}${didYouMean(suggestions)}`, node, path, 2);
    return new UsageError(`options go after the command: ${path.join(' ')} <command> ${typed}`, node, path);
  }
  const suggestions = closest(
    typed,
    node.children.map((child) => child.name),
  ).map((name) => `'${[...path.slice(1), name].join(' ')}'`);
  return new UsageError(`unknown command: ${[...path.slice(1), typed].join(' ')}${didYouMean(suggestions)}`, node, path, 2);
}
