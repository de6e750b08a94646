/** docs/api.md's table of what each operation requires is the table of operations, written out (scripts/operations-table.mjs). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ALL_OPERATIONS } from '../../src/core/operations/table.js';
import { operationsMarkdown } from '../../src/http/api-operation.js';

test('docs/api.md lists every operation as the table of operations says (npm run docs:operations rewrites it)', () => {
  const text = readFileSync(fileURLToPath(new URL('../../../docs/api.md', import.meta.url)), 'utf8');
  const start = '<!-- operations-table:start -->\n';
  const from = text.indexOf(start);
  const to = text.indexOf('\n<!-- operations-table:end -->');
  assert.ok(from >= 0 && to > from, 'the markers are in place');
  assert.equal(text.slice(from + start.length, to), operationsMarkdown(ALL_OPERATIONS));
});
