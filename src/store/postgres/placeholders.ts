/**
 * The shared SQL is written with `?` placeholders (statements.ts); PostgreSQL numbers them.
 * `?` inside quotes, quoted names or comments is left alone, so the rewrite is safe for any
 * statement the shared files hold.
 */
const cache = new Map<string, string>();

export function numberPlaceholders(sql: string): string {
  let numbered = cache.get(sql);
  if (numbered === undefined) {
    numbered = rewrite(sql);
    if (cache.size < 1000) cache.set(sql, numbered);
  }
  return numbered;
}

function rewrite(sql: string): string {
  let out = '';
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1);
      const stop = end === -1 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '?') {
      out += `$${++n}`;
      i++;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}
