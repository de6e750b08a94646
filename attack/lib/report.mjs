/**
 * The campaign's findings: one row per figure (attack, what was measured, the figure, the limit,
 * pass or FAIL), printed as a Markdown table so the same text goes into docs/security.md.
 */
export class Findings {
  rows = [];

  /** A figure held against a limit. */
  check(attack, measured, figure, limit, ok) {
    this.rows.push({ attack, measured, figure: String(figure), limit: String(limit), verdict: ok ? 'pass' : 'FAIL' });
    log(`${ok ? 'pass' : 'FAIL'}  ${attack}: ${measured}: ${figure} (limit ${limit})`);
  }

  /** A figure reported for context, held to no limit. */
  note(attack, measured, figure) {
    this.rows.push({ attack, measured, figure: String(figure), limit: '', verdict: '' });
    log(`      ${attack}: ${measured}: ${figure}`);
  }

  get failures() {
    return this.rows.filter((row) => row.verdict === 'FAIL');
  }

  markdown() {
    const cell = (text) => text.replaceAll('|', '\\|');
    const lines = ['| attack | measured | figure | limit | result |', '|---|---|---|---|---|'];
    for (const row of this.rows) lines.push(`| ${[row.attack, row.measured, row.figure, row.limit, row.verdict].map(cell).join(' | ')} |`);
    return lines.join('\n');
  }
}

export function log(message) {
  process.stderr.write(`[attack] ${message}\n`);
}

export const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
export const ms = (value) => `${value.toFixed(1)} ms`;

/** Counts outcomes: { verdict: n, throttled: n, ... }. */
export function tally(outcomes) {
  const counts = {};
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return counts;
}
