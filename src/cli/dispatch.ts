/** Walks the command tree: `--help` at any level, a one-line error and the usage for a mistake. */
import { type Command, type Group, type Io, parseCommand, UsageError } from './args.js';
import { commandHelp, groupHelp } from './help.js';
import { errorLine } from './output.js';

const HELP = new Set(['--help', '-h', 'help']);

/** Runs the command `argv` names under `root`; returns the exit code (0 or 1). */
export async function dispatch(root: Group, argv: string[], io: Io): Promise<number> {
  try {
    return await walk(root, argv, [root.name], io);
  } catch (error) {
    if (error instanceof UsageError) {
      const node = error.node ?? root;
      const path = error.path ?? [root.name];
      io.stderr.write(`${root.name}: ${error.message}\n\n${node.kind === 'group' ? groupHelp(node, path) : commandHelp(node, path)}`);
      return 1;
    }
    io.stderr.write(`${root.name}: ${errorLine(error)}\n`);
    return 1;
  }
}

async function walk(node: Command | Group, argv: string[], path: string[], io: Io): Promise<number> {
  if (node.kind === 'command') {
    // Help wins over everything else on the line, as in most CLIs (`tokend clients create --help`).
    const beforeDashDash = argv.indexOf('--') === -1 ? argv : argv.slice(0, argv.indexOf('--'));
    if (beforeDashDash.some((arg) => arg === '--help' || arg === '-h')) {
      io.stdout.write(commandHelp(node, path));
      return 0;
    }
    try {
      return await node.run(parseCommand(node, argv, path), io);
    } catch (error) {
      // A usage mistake found while running (a missing required option) shows this command's usage.
      if (error instanceof UsageError && !error.node) throw new UsageError(error.message, node, path);
      throw error;
    }
  }
  const [next, ...rest] = argv;
  if (next === undefined) throw new UsageError(`missing command after '${path.join(' ')}'`, node, path);
  if (HELP.has(next)) {
    io.stdout.write(groupHelp(node, path));
    return 0;
  }
  const child = node.children.find((candidate) => candidate.name === next);
  if (!child) {
    const what = next.startsWith('-') ? `options go after the command: ${path.join(' ')} <command> ${next}` : `unknown command: ${[...path.slice(1), next].join(' ')}`;
    throw new UsageError(what, node, path);
  }
  return walk(child, rest, [...path, child.name], io);
}
