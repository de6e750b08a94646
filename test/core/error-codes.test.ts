/** The error codes tokend can send, held against the documented list in CONTRACT.md, both ways. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { API_ERROR_CODES, OAUTH_ERROR_CODES } from '../../src/core/errors.js';

// CONTRACT.md lives in shared/, beside the repository (CI lays it there too).
const CONTRACT = fileURLToPath(new URL('../../../../shared/CONTRACT.md', import.meta.url));

test('every ErrorBody code of the contract is one tokend knows, and no other: its table, and the codes it gives a status elsewhere', {
  skip: !existsSync(CONTRACT) && !process.env.CI ? 'no ../shared/CONTRACT.md' : false,
}, () => {
  const text = readFileSync(CONTRACT, 'utf8');
  const table = text.slice(text.indexOf('Codes and statuses used by the Tokens API'), text.indexOf('## Response headers'));
  const documented = new Set([...table.matchAll(/`([a-z]+(?:\.[a-z]+)+)`/g)].map((m) => m[1]));
  // "a stale version is 409 `general.conflict`": a status and a dotted code, anywhere in the contract.
  for (const m of text.matchAll(/\b[45]\d\d `([a-z]+(?:\.[a-z]+)+)`/g)) documented.add(m[1]);
  // "a Genesys ErrorBody with `code` `fault.injected`": a code named as such.
  for (const m of text.matchAll(/`code` `([a-z]+(?:\.[a-z]+)+)`/g)) documented.add(m[1]);
  assert.deepEqual([...API_ERROR_CODES].sort(), [...documented].sort());
});

test('every OAuth error code the contract names is one tokend knows', {
  skip: !existsSync(CONTRACT) && !process.env.CI ? 'no ../shared/CONTRACT.md' : false,
}, () => {
  const text = readFileSync(CONTRACT, 'utf8');
  const paragraph = text.slice(text.indexOf('RFC 6749 codes'), text.indexOf('- **ours**: an unknown client'));
  const documented = [...paragraph.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
  assert.equal(documented.length, 6);
  for (const code of documented) assert.ok((OAUTH_ERROR_CODES as readonly string[]).includes(code as string), code);
});
