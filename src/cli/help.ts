/** `--help` text for a command or a group, and the usage shown after a mistake. */
import type { Command, Group, OptionSpecs } from './args.js';

const OPTION_WIDTH = 38;

export function commandHelp(command: Command, path: string[]): string {
  const args = command.args?.length ? ` ${command.args.join(' ')}` : '';
  const lines = [`Usage: ${path.join(' ')}${args} [options]`, '', command.summary];
  if (command.details) lines.push('', command.details);
  lines.push('', 'Options:', ...optionLines(command.options ?? {}), `${'  -h, --help'.padEnd(OPTION_WIDTH)}show this help`);
  for (const section of command.sections ?? []) lines.push('', `${section.title}:`, ...optionLines(section.options));
  lines.push('', 'Example:', `  ${command.example}`, '');
  return lines.join('\n');
}

export function groupHelp(group: Group, path: string[]): string {
  const name = path.join(' ');
  const rows = leaves(group, []).map(({ names, node }) => [[...names, ...(node.args ?? [])].join(' '), node.summary] as const);
  const width = Math.max(...rows.map(([usage]) => usage.length)) + 3;
  return [
    `Usage: ${name} <command> [options]`,
    '',
    group.summary,
    '',
    'Commands:',
    ...rows.map(([usage, summary]) => `  ${usage.padEnd(width)}${summary}`),
    '',
    `Run '${name} <command> --help' for a command's options${path.length === 1 ? `, '${name} --version' for its version` : ''}.`,
    '',
    'Example:',
    `  ${group.example}`,
    '',
  ].join('\n');
}

function leaves(group: Group, prefix: string[]): Array<{ names: string[]; node: Command }> {
  return group.children.flatMap((child) =>
    child.kind === 'command' ? [{ names: [...prefix, child.name], node: child }] : leaves(child, [...prefix, child.name]),
  );
}

function optionLines(options: OptionSpecs): string[] {
  return Object.entries(options).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '    ';
    const value = spec.boolish ? '[=true|false]' : spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : '';
    const flag = `  ${short}--${name}${value}`;
    return `${flag.padEnd(OPTION_WIDTH - 1)} ${spec.description}`;
  });
}
