/** Tokens from the pooled CSPRNG reads: 256 bits each, never repeated, across pool refills. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newToken } from '../../src/core/secrets.js';

test('new tokens: 43 base64url characters of 32 random bytes, all distinct across pool refills', () => {
  const tokens = Array.from({ length: 1_000 }, () => newToken());
  assert.equal(new Set(tokens).size, tokens.length);
  for (const token of tokens) {
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(token, 'base64url').length, 32);
  }
  // Not a zeroed (already drawn) slice: an all-zero token would be 'AAAA...'.
  assert.ok(!tokens.includes('A'.repeat(43)));
  // Bits look random: about half of all bits set (256,000 bits; 6 sigma is ~1,500).
  let ones = 0;
  for (const token of tokens) for (const byte of Buffer.from(token, 'base64url')) for (let b = byte; b; b >>= 1) ones += b & 1;
  assert.ok(Math.abs(ones - 128_000) < 1_500, `${ones} bits set of 256,000`);
});
