/**
 * How the `list` commands print: a table for a person at a terminal, JSON for a program (with
 * `--json`, or whenever stdout is not a terminal: piped or redirected), or only the ids, one per
 * line, for `$(...)`. `--table` forces the table anywhere.
 *
 * Lookups are filters of the same commands (`--email`, `--name`), not separate `get` commands:
 * one command per kind, one output, and filters that combine with `--org`. A lookup that matches
 * nothing fails (exit 1, nothing on stdout), so that `ID=$(tokend users list --email x --ids)`
 * never goes on with an empty id.
 */
import type { Organization } from '../core/models.js';
import type { Services } from '../core/services.js';
import { type Io, type OptionSpecs, stringValue, UsageError, type Values } from './args.js';
import { CliError, printJson } from './output.js';
import { sameInNormalForm } from '../core/normal-form.js';

export const FORMAT_OPTIONS: OptionSpecs = {
  json: { type: 'boolean', description: 'print JSON (the default when stdout is not a terminal)' },
  table: { type: 'boolean', description: 'print a table (the default at a terminal)' },
  ids: { type: 'boolean', description: 'print only the ids, one per line' },
};

export type Format = 'json' | 'table' | 'ids';

/** The format asked for, else a table at a terminal and JSON anywhere else. */
export function chosenFormat(values: Values, stdout: Io['stdout']): Format {
  const asked = (['json', 'table', 'ids'] as const).filter((name) => values[name] === true);
  if (asked.length > 1) throw new UsageError(`give one of --json, --table and --ids, not ${asked.map((name) => `--${name}`).join(' and ')}`);
  return asked[0] ?? ((stdout as { isTTY?: boolean }).isTTY === true ? 'table' : 'json');
}

export interface Column<T> {
  title: string;
  cell(row: T): string;
}

export interface Listing<T extends { id: string }> {
  rows: T[];
  columns: Array<Column<T>>;
  /** The row as JSON shows it: never a secret or a hash. */
  json(row: T): unknown;
}

export function printListing<T extends { id: string }>(io: Io, values: Values, listing: Listing<T>): void {
  const format = chosenFormat(values, io.stdout);
  if (format === 'json') printJson(io, listing.rows.map(listing.json));
  else if (format === 'ids') io.stdout.write(listing.rows.map((row) => `${row.id}\n`).join(''));
  else io.stdout.write(table(listing.rows, listing.columns, io.stdout));
}

/** The widest a table may be: the terminal's width, else (piped, `--table`) 100 columns. */
export function tableWidth(stdout?: Io['stdout']): number {
  const columns = (stdout as { isTTY?: boolean; columns?: number } | undefined)?.columns;
  return (stdout as { isTTY?: boolean } | undefined)?.isTTY === true && columns !== undefined && columns > 0 ? columns : 100;
}

/** Ids (UUIDs) are never broken: a part of one is of no use to copy. */
const UNBREAKABLE = new Set(['id']);
/** The narrowest a column that wraps gets. */
const MIN_WRAPPED = 10;

/**
 * Left-aligned columns two spaces apart, a header in capitals; nothing but the header when empty.
 * Wider than the terminal (or 100 columns): the widest columns other than ids wrap, at spaces or
 * commas where they can, within their width.
 */
export function table<T>(rows: T[], columns: Array<Column<T>>, stdout?: Io['stdout']): string {
  const cells = [columns.map((column) => column.title.toUpperCase()), ...rows.map((row) => columns.map((column) => printable(column.cell(row))))];
  const widths = fitWidths(
    columns.map((_, i) => Math.max(...cells.map((line) => (line[i] as string).length))),
    columns.map((column) => UNBREAKABLE.has(column.title)),
    tableWidth(stdout),
  );
  return cells
    .flatMap((line) => {
      const wrapped = line.map((cell, i) => wrapCell(cell, widths[i] as number));
      const height = Math.max(...wrapped.map((parts) => parts.length));
      return Array.from({ length: height }, (_, r) =>
        wrapped
          .map((parts, i) => (i === wrapped.length - 1 ? (parts[r] ?? '') : (parts[r] ?? '').padEnd(widths[i] as number)))
          .join('  ')
          .trimEnd(),
      );
    })
    .join('\n')
    .concat('\n');
}

/** Narrows the widest breakable columns, one character at a time, until the line fits `limit` (or none can narrow). */
function fitWidths(natural: number[], fixed: boolean[], limit: number): number[] {
  const widths = [...natural];
  const total = () => widths.reduce((sum, width) => sum + width, 0) + 2 * (widths.length - 1);
  while (total() > limit) {
    let widest = -1;
    widths.forEach((width, i) => {
      if (!fixed[i] && width > MIN_WRAPPED && (widest === -1 || width > (widths[widest] as number))) widest = i;
    });
    if (widest === -1) break;
    widths[widest] = (widths[widest] as number) - 1;
  }
  return widths;
}

/** A cell's lines at `width`: broken after a space or comma where one is near, else within a word. */
function wrapCell(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const head = rest.slice(0, width + 1);
    const at = Math.max(head.lastIndexOf(' '), head.lastIndexOf(',') + 1);
    const cut = at > width / 2 && at <= width ? at : width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  lines.push(rest);
  return lines;
}

// Names come from the store, where anyone with admin rights put them: a control character in
// one must not move the cursor of whoever lists them, nor break the table's lines.
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** `--name`, `--email`: the same text in core's normal form (any letter case, fullwidth or not), as the store compares emails and organization names. */
export function sameText(a: string, b: string): boolean {
  return sameInNormalForm(a, b);
}

/** Keeps the rows a lookup flag names; a lookup that finds nothing is an error. */
export function lookup<T>(rows: T[], values: Values, filters: Record<string, (row: T) => string>, kind: string, where = ''): T[] {
  let kept = rows;
  const used: string[] = [];
  for (const [flag, field] of Object.entries(filters)) {
    const wanted = stringValue(values, flag);
    if (wanted === undefined) continue;
    kept = kept.filter((row) => sameText(field(row), wanted));
    used.push(`the ${flag} ${JSON.stringify(wanted)}`);
  }
  if (used.length > 0 && kept.length === 0) throw new CliError(`no ${kind} with ${used.join(' and ')}${where}`);
  return kept;
}

/** Every organization by id, to name the organization of each row. */
export async function organizationsById(core: Services): Promise<Map<string, Organization>> {
  return new Map((await core.reads.organizations()).map((organization) => [organization.id, organization]));
}

/** An organization as a listed row names it. */
export const orgRef = (organizations: Map<string, Organization>, id: string) => ({ id, name: organizations.get(id)?.name ?? '' });
