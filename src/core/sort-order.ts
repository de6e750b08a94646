/**
 * `sortOrder` as Genesys clients send it (CONTRACT.md, "The directory and authorization planes"):
 * `ascending`/`descending` (the SDKs' documented values) or `ASC`/`DESC` (gc and Terraform), in
 * any letter case.
 */
export type SortOrder = 'ascending' | 'descending';

/** The order a value names, or null for anything else. */
export function sortOrderOf(value: string): SortOrder | null {
  const word = value.toLowerCase();
  if (word === 'asc' || word === 'ascending') return 'ascending';
  if (word === 'desc' || word === 'descending') return 'descending';
  return null;
}
