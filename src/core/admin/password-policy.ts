/**
 * The organization's password policy (the SDK's `PasswordRequirements`, part of its
 * `OrgAuthSettings`), checked on every password set: by the API, by `tokend users create` and
 * `users set-password`, and by a seed for each password it writes (CONTRACT.md, "The directory
 * and authorization planes"). A password that breaks a rule is refused with a 400 naming the
 * rule; nothing is written. Passwords already stored are not judged again: the policy applies
 * when a password is set.
 *
 * Characters are counted as a person sees them (code points, not UTF-16 units): a digit is a
 * decimal digit of any script, a letter any letter (upper and lower case as Unicode says), a
 * special character anything that is neither a letter nor a digit (spaces and punctuation).
 * `minimumAgeSeconds` and `expirationDays` are kept and shown but judge no password here:
 * tokend has no password a person changes themselves yet, nor a sign-in that asks for a new
 * one (docs/api.md).
 */
import { apiErrorWithParams } from '../errors.js';
import type { PasswordRequirements } from '../models.js';
import type { DirectoryPort } from '../ports/directory-port.js';

/** Genesys's default and ours: at least 8 characters, nothing more. */
export const DEFAULT_PASSWORD_REQUIREMENTS: Readonly<PasswordRequirements> = Object.freeze({
  minimumLength: 8,
  minimumDigits: 0,
  minimumLetters: 0,
  minimumUpper: 0,
  minimumLower: 0,
  minimumSpecials: 0,
  minimumAgeSeconds: 0,
  expirationDays: 0,
});

/** What each rule may be set to (the PATCH schema and the admin core both hold to these). */
export const PASSWORD_REQUIREMENT_BOUNDS: Readonly<Record<keyof PasswordRequirements, { min: number; max: number }>> = Object.freeze({
  minimumLength: { min: 1, max: 256 },
  minimumDigits: { min: 0, max: 256 },
  minimumLetters: { min: 0, max: 256 },
  minimumUpper: { min: 0, max: 256 },
  minimumLower: { min: 0, max: 256 },
  minimumSpecials: { min: 0, max: 256 },
  minimumAgeSeconds: { min: 0, max: 31_536_000 },
  expirationDays: { min: 0, max: 3650 },
});

/** The rules a password is judged by, in the order they are reported, with what each counts (one, several) and how. */
const COUNTED_RULES: ReadonlyArray<readonly [rule: keyof PasswordRequirements, what: readonly [string, string], counts: (c: string) => boolean]> = [
  ['minimumLength', ['character', 'characters'], () => true],
  ['minimumDigits', ['digit', 'digits'], (c) => /\p{Nd}/u.test(c)],
  ['minimumLetters', ['letter', 'letters'], (c) => /\p{L}/u.test(c)],
  ['minimumUpper', ['upper-case letter', 'upper-case letters'], (c) => /\p{Lu}/u.test(c)],
  ['minimumLower', ['lower-case letter', 'lower-case letters'], (c) => /\p{Ll}/u.test(c)],
  [
    'minimumSpecials',
    ['special character (neither a letter nor a digit)', 'special characters (neither letters nor digits)'],
    (c) => !/[\p{L}\p{Nd}]/u.test(c),
  ],
];

export interface BrokenPasswordRule {
  /** The `PasswordRequirements` field (`minimumLength`). */
  rule: keyof PasswordRequirements;
  minimum: number;
  /** What the rule counts, as the message says it ("characters"). */
  what: string;
  /** "The password must have at least 12 characters (passwordRequirements.minimumLength)." */
  message: string;
}

const TEMPLATE = 'The password must have at least {minimum} {what} (passwordRequirements.{rule}).';

/** The first rule of `requirements` that `password` breaks, or null. */
export function brokenPasswordRule(password: string, requirements: PasswordRequirements): BrokenPasswordRule | null {
  const characters = [...password];
  for (const [rule, [one, several], counts] of COUNTED_RULES) {
    const minimum = requirements[rule];
    if (minimum > 0 && characters.filter(counts).length < minimum) {
      const what = minimum === 1 ? one : several;
      return { rule, minimum, what, message: TEMPLATE.replace('{minimum}', String(minimum)).replace('{what}', what).replace('{rule}', rule) };
    }
  }
  return null;
}

/** The organization's password requirements: as last set (PATCH authentication settings), or the defaults. */
export async function passwordRequirementsOf(store: Pick<DirectoryPort, 'findAuthSettings'>, organizationId: string): Promise<PasswordRequirements> {
  const stored = await store.findAuthSettings(organizationId);
  return { ...DEFAULT_PASSWORD_REQUIREMENTS, ...stored?.passwordRequirements };
}

/**
 * Refuses a password the organization's policy does not allow: 400 `invalid.value` on the field
 * `password`, the message naming the rule (its name and minimum also in `messageParams`).
 */
export async function checkPassword(store: Pick<DirectoryPort, 'findAuthSettings'>, organizationId: string, password: string): Promise<void> {
  const broken = brokenPasswordRule(password, await passwordRequirementsOf(store, organizationId));
  if (!broken) return;
  throw apiErrorWithParams(
    400,
    'invalid.value',
    TEMPLATE,
    { minimum: String(broken.minimum), what: broken.what, rule: broken.rule },
    {
      details: [{ errorCode: 'invalid.value', fieldName: 'password' }],
    },
  );
}
