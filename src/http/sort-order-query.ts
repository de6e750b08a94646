/**
 * The `sortOrder` query parameter of the paged listings (CONTRACT.md, "The directory and
 * authorization planes"): `ascending`/`descending` or `ASC`/`DESC`, in any letter case, become
 * `ascending`/`descending` before the schema judges them; anything else is 400
 * `invalid.query.param.value` naming the parameter.
 */
import { Type } from '@sinclair/typebox';
import { sortOrderOf } from '../core/sort-order.js';

export const SortOrderQuery = Type.Optional(
  Type.String({ enum: ['ascending', 'descending'], description: 'ascending, descending, ASC or DESC, in any letter case (default ascending)' }),
);

/** A `prepare` step: the words the contract allows, spelled the one way the schema takes. */
export function normalizeSortOrder(query: unknown): void {
  if (typeof query !== 'object' || query === null) return;
  const record = query as { sortOrder?: unknown };
  if (typeof record.sortOrder === 'string') record.sortOrder = sortOrderOf(record.sortOrder) ?? record.sortOrder;
}
