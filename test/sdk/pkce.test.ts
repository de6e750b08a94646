import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computePKCECodeChallenge, generatePKCECodeVerifier } from '../../src/sdk/index.js';

test('the S256 challenge matches RFC 7636 appendix B', async () => {
  assert.equal(await computePKCECodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
});

test('a verifier has the asked length, 128 by default, of unreserved characters', () => {
  assert.equal(generatePKCECodeVerifier().length, 128);
  for (const length of [43, 44, 45, 64, 127, 128]) {
    const verifier = generatePKCECodeVerifier(length);
    assert.equal(verifier.length, length);
    assert.match(verifier, /^[A-Za-z0-9\-._~]+$/);
  }
});

test('verifiers do not repeat', () => {
  const seen = new Set(Array.from({ length: 100 }, () => generatePKCECodeVerifier(43)));
  assert.equal(seen.size, 100);
});

test('a verifier length outside 43 to 128 is refused', async () => {
  assert.throws(() => generatePKCECodeVerifier(42), RangeError);
  assert.throws(() => generatePKCECodeVerifier(129), RangeError);
  await assert.rejects(computePKCECodeChallenge('short'), RangeError);
  await assert.rejects(computePKCECodeChallenge(`${'a'.repeat(43)} `), RangeError);
});
