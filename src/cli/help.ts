/**
 * `--help` text for a command or a group, and the usage shown after a mistake, wrapped at the
 * terminal's width (80 columns when stdout is not a terminal). An example stays on one line:
 * it is a command to copy, and a line broken in it would not paste.
 */
import type { Command, Group, OptionSpecs } from './args.js';

const OPTION_WIDTH = 38;
/** Below this many columns for a description beside its name, it goes on the lines below. */
const MIN_TEXT_WIDTH = 30;
/** The indent of a description under its name. */
const UNDER = 6;

/** The terminal's width, else 80. */
export function helpWidth(stdout?: NodeJS.WritableStream): number {
  const tty = stdout as { isTTY?: boolean; columns?: number } | undefined;
  return tty?.isTTY === true && tty.columns !== undefined && tty.columns > 0 ? tty.columns : 80;
}

export function commandHelp(command: Command, path: string[], width = 80): string {
  const args = command.args?.length ? ` ${command.args.join(' ')}` : '';
  const lines = [...wrap(`Usage: ${path.join(' ')}${args} [options]`, width, 4), '', ...wrap(command.summary, width)];
  if (command.details) lines.push('', ...wrap(command.details, width));
  lines.push('', 'Options:', ...optionLines(command.options ?? {}, width), ...beside('  -h, --help', 'show this help', OPTION_WIDTH, width));
  for (const section of command.sections ?? []) lines.push('', ...wrap(`${section.title}:`, width), ...optionLines(section.options, width));
  lines.push('', 'Example:', `  ${command.example}`, '');
  return lines.join('\n');
}

export function groupHelp(group: Group, path: string[], width = 80): string {
  const name = path.join(' ');
  const rows = leaves(group, []).map(({ names, node }) => [[...names, ...(node.args ?? [])].join(' '), node.summary] as const);
  // A long usage (`idp set <generic|okta|...>`) takes its summary under it rather than push every other one right.
  const column = Math.min(Math.max(...rows.map(([usage]) => usage.length)) + 5, Math.floor(width * 0.45));
  return [
    `Usage: ${name} <command> [options]`,
    '',
    ...wrap(group.summary, width),
    '',
    'Commands:',
    ...rows.flatMap(([usage, summary]) => beside(`  ${usage}`, summary, column, width)),
    '',
    ...wrapKeepingCommands(
      `Run '${name} <command> --help' for a command's options${path.length === 1 ? `, '${name} --version' for its version` : ''}.`,
      path[0] as string,
      width,
    ),
    '',
    'Example:',
    `  ${group.example}`,
    '',
  ].join('\n');
}

/** Wrapped as {@link wrap} wraps, but a command in quotes (`'tokend ... --help'`) is never broken across two lines. */
function wrapKeepingCommands(text: string, root: string, width: number): string[] {
  const glued = text.replace(new RegExp(`'${root}[^']*'`, 'g'), (command) => command.replaceAll(' ', '\u00a0'));
  return wrap(glued, width).map((line) => line.replaceAll('\u00a0', ' '));
}

function leaves(group: Group, prefix: string[]): Array<{ names: string[]; node: Command }> {
  return group.children.flatMap((child) =>
    child.kind === 'command' ? [{ names: [...prefix, child.name], node: child }] : leaves(child, [...prefix, child.name]),
  );
}

function optionLines(options: OptionSpecs, width: number): string[] {
  return Object.entries(options).flatMap(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '    ';
    const value = spec.boolish ? '[=true|false]' : spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : '';
    return beside(`  ${short}--${name}${value}`, spec.description, OPTION_WIDTH, width);
  });
}

/**
 * A name and its text in two columns, the text starting at `column` and wrapped under itself;
 * where the name reaches the column, or the text would be too narrow there, the text goes on
 * the lines below, indented.
 */
function beside(name: string, text: string, column: number, width: number): string[] {
  if (width - column >= MIN_TEXT_WIDTH && name.length <= column - 2) {
    const [first = '', ...rest] = wrap(text, width - column);
    return [`${name.padEnd(column)}${first}`, ...rest.map((line) => `${' '.repeat(column)}${line}`)];
  }
  const indent = name.length - name.trimStart().length;
  return [
    ...wrap(name.trimStart(), width - indent, 2).map((line) => `${' '.repeat(indent)}${line}`),
    ...wrap(text, width - UNDER).map((line) => `${' '.repeat(UNDER)}${line}`),
  ];
}

/**
 * Words filled into lines of at most `width` characters (a word longer than that stands alone
 * on its line); lines after the first indented by `hang`.
 */
export function wrap(text: string, width: number, hang = 0): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/[ \t\r\n]+/).filter((w) => w !== '')) {
    const limit = lines.length === 0 ? width : width - hang;
    if (line !== '' && line.length + 1 + word.length > limit) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : `${' '.repeat(hang)}${l}`));
}
