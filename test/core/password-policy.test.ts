/**
 * The password rules (core/admin/password-policy.ts): what each counts, in code points and by
 * Unicode category, the first broken rule reported, and 0 meaning no rule.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brokenPasswordRule, DEFAULT_PASSWORD_REQUIREMENTS } from '../../src/core/admin/password-policy.js';

const none = { ...DEFAULT_PASSWORD_REQUIREMENTS, minimumLength: 0 };
const rule = (password: string, requirements: Partial<typeof DEFAULT_PASSWORD_REQUIREMENTS>) =>
  brokenPasswordRule(password, { ...none, ...requirements })?.rule ?? null;

test('the default: at least 8 characters, counted as code points (an emoji is one, not two UTF-16 units)', () => {
  assert.deepEqual(brokenPasswordRule('seven77', DEFAULT_PASSWORD_REQUIREMENTS), {
    rule: 'minimumLength',
    minimum: 8,
    what: 'characters',
    message: 'The password must have at least 8 characters (passwordRequirements.minimumLength).',
  });
  assert.equal(brokenPasswordRule('eight888', DEFAULT_PASSWORD_REQUIREMENTS), null);
  assert.equal(rule('😀😀😀😀', { minimumLength: 5 }), 'minimumLength', 'four emoji are four characters, not eight');
  assert.equal(rule('😀😀😀😀😀', { minimumLength: 5 }), null);
});

test('digits, letters, upper, lower, specials: by Unicode category, any script', () => {
  assert.equal(rule('abc١٢', { minimumDigits: 2 }), null, 'Arabic-Indic digits are digits');
  assert.equal(rule('abc1', { minimumDigits: 2 }), 'minimumDigits');
  assert.equal(rule('ÄÖ12', { minimumLetters: 2, minimumUpper: 2 }), null);
  assert.equal(rule('äö12', { minimumUpper: 1 }), 'minimumUpper');
  assert.equal(rule('ÉCOLE', { minimumLower: 1 }), 'minimumLower');
  assert.equal(rule('日本語', { minimumLetters: 3 }), null, 'letters without case are letters');
  assert.equal(rule('日本語', { minimumUpper: 1 }), 'minimumUpper');
  assert.equal(rule('pass word', { minimumSpecials: 1 }), null, 'a space is neither a letter nor a digit');
  assert.equal(rule('password1', { minimumSpecials: 1 }), 'minimumSpecials');
  assert.equal(
    brokenPasswordRule('x', { ...none, minimumSpecials: 1 })?.message,
    'The password must have at least 1 special character (neither a letter nor a digit) (passwordRequirements.minimumSpecials).',
  );
});

test('the first broken rule in a fixed order; the age and expiry rules judge no password', () => {
  assert.equal(rule('ab', { minimumLength: 3, minimumDigits: 1 }), 'minimumLength');
  assert.equal(rule('abc', { minimumLength: 3, minimumDigits: 1, minimumUpper: 1 }), 'minimumDigits');
  assert.equal(rule('abc', { minimumAgeSeconds: 86400, expirationDays: 90 }), null);
});
