/**
 * The account page's view of a person's tokens: one entry per sign-in (a token family: its access
 * token and the refresh token that renews it), not one per raw token, with the sign-ins made in
 * the browser asking (its session's families) marked, and grouped by app.
 */
import type { AccountToken } from './account.js';

export interface AccountSignIn {
  familyId: string;
  clientName: string;
  /** Made through the session of the browser that asks. */
  thisBrowser: boolean;
  signedInAt: number;
  lastUsedAt: number | null;
  /** When the sign-in ends at the latest: its longest-lived token's expiry. */
  endsAt: number;
  /** When its access token idles out unless used, or null when no idle timeout applies. */
  idlesAt: number | null;
  /** Whether the app can renew it (a live refresh token). */
  renewable: boolean;
}

export interface AccountApp {
  clientName: string;
  signIns: AccountSignIn[];
}

const later = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** Folds tokens into sign-ins, newest first, grouped by app name (apps in alphabetical order). */
export function groupSignIns(tokens: readonly AccountToken[], thisBrowserFamilies: ReadonlySet<string>): AccountApp[] {
  const byFamily = new Map<string, AccountSignIn>();
  for (const token of tokens) {
    const known = byFamily.get(token.familyId);
    if (!known) {
      byFamily.set(token.familyId, {
        familyId: token.familyId,
        clientName: token.clientName,
        thisBrowser: thisBrowserFamilies.has(token.familyId),
        signedInAt: token.issuedAt,
        lastUsedAt: token.lastUsedAt,
        endsAt: token.expiresAt,
        idlesAt: token.idlesAt,
        renewable: token.kind === 'refresh',
      });
      continue;
    }
    known.signedInAt = Math.min(known.signedInAt, token.issuedAt);
    known.lastUsedAt = later(known.lastUsedAt, token.lastUsedAt);
    known.endsAt = Math.max(known.endsAt, token.expiresAt);
    known.idlesAt = later(known.idlesAt, token.idlesAt);
    known.renewable ||= token.kind === 'refresh';
  }
  const apps = new Map<string, AccountSignIn[]>();
  for (const signIn of byFamily.values()) apps.set(signIn.clientName, [...(apps.get(signIn.clientName) ?? []), signIn]);
  return [...apps]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([clientName, signIns]) => ({
      clientName,
      signIns: signIns.sort((a, b) => Number(b.thisBrowser) - Number(a.thisBrowser) || b.signedInAt - a.signedInAt),
    }));
}
