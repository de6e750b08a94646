import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isUnavailable } from '../../src/store/postgres/pg-errors.js';
import { numberPlaceholders } from '../../src/store/postgres/placeholders.js';
import { SQL } from '../../src/store/sql/statements.js';

test('? placeholders are numbered for PostgreSQL, outside quotes and comments only', () => {
  assert.equal(numberPlaceholders('SELECT * FROM t WHERE a = ? AND b = ?'), 'SELECT * FROM t WHERE a = $1 AND b = $2');
  assert.equal(numberPlaceholders(`SELECT '?', "?" -- ?\nFROM t WHERE a = ?`), `SELECT '?', "?" -- ?\nFROM t WHERE a = $1`);
  for (const sql of Object.values(SQL)) {
    const count = sql.split('?').length - 1;
    const numbered = numberPlaceholders(sql);
    assert.equal(numbered.includes('?'), false);
    if (count > 0) assert.ok(numbered.includes(`$${count}`), sql);
  }
});

test('connection failures are told apart from refused statements', () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  for (const error of [
    withCode('ECONNREFUSED'),
    withCode('57P01'),
    withCode('08006'),
    withCode('53300'),
    withCode('3D000'),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
    new Error('timeout expired'),
  ]) {
    assert.equal(isUnavailable(error), true, String((error as { code?: string }).code ?? error.message));
  }
  for (const error of [withCode('23505'), withCode('42P01'), new Error('boom'), 'not an error']) assert.equal(isUnavailable(error), false);
});
