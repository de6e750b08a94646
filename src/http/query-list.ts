/**
 * A list in the query string, as Genesys clients send one: the parameter repeated
 * (`expand=a&expand=b`, most SDKs, read by Fastify as an array) or comma-separated
 * (`expand=a,b`, the JavaScript SDK), or both. Empty items are dropped.
 */
export function queryList(value: unknown): string[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items
    .flatMap((item) => String(item).split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * A `preValidation` step: turns each named list parameter into an array of its items before the
 * schema (an array of strings) checks the query, so a single value is not a type error.
 */
export function normalizeQueryLists(query: unknown, names: readonly string[]): void {
  if (typeof query !== 'object' || query === null) return;
  const record = query as Record<string, unknown>;
  for (const name of names) if (record[name] !== undefined) record[name] = queryList(record[name]);
}
