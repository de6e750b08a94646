/**
 * The one form in which emails, organization names and SAML NameIDs are compared (CONTRACT.md,
 * "Sign-in and client-authentication throttling"): Unicode NFKC (fullwidth `Ａ` is `A`, a
 * ligature its letters), then lower case as JavaScript's full Unicode mapping has it, then NFKC
 * once more, since lowering can leave a sequence NFKC would change: so the form of a form is
 * itself. Computed here and nowhere else: the throttles count an account by it, and the store
 * keeps it in a column of its own that it looks up, and is unique, by. SQL's own folding differs
 * from it and between databases (`lower('İ')` is `İ` to SQLite, not to PostgreSQL), so the store
 * never folds case itself: one person's account is one key, however it is spelt.
 *
 * @example normalForm('Bob@ＡＣＭＥ.test') === 'bob@acme.test'
 */
export function normalForm(text: string): string {
  return text.normalize('NFKC').toLowerCase().normalize('NFKC');
}

/** Whether two values name the same email, organization or NameID. */
export function sameInNormalForm(a: string, b: string): boolean {
  return normalForm(a) === normalForm(b);
}
