/**
 * `npm run docs:operations`: writes docs/api.md's table of what each /api/v2 operation requires,
 * from the table of operations (src/core/operations/table.ts), between its markers. Needs a
 * build. test/core/operations-docs.test.ts fails when the page and the table differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { operationsMarkdown } from '../dist/src/http/api-operation.js';
import { ALL_OPERATIONS } from '../dist/src/core/operations/table.js';

const DOCS = fileURLToPath(new URL('../docs/api.md', import.meta.url));
const START = '<!-- operations-table:start -->';
const END = '<!-- operations-table:end -->';
const text = readFileSync(DOCS, 'utf8');
const from = text.indexOf(START);
const to = text.indexOf(END);
if (from < 0 || to < from) throw new Error(`${DOCS} has no ${START} ... ${END} markers`);
writeFileSync(DOCS, `${text.slice(0, from + START.length)}\n${operationsMarkdown(ALL_OPERATIONS)}\n${text.slice(to)}`);
