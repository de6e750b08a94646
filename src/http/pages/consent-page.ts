/**
 * The consent page (CONTRACT.md, "Consent"): the app by name and description, each scope it asks
 * for with what it lets the app do, and Allow or Deny. Plain HTML without script; the form's CSRF
 * token is bound to the sign-in session and to this very request (core/consent/consent-token.ts).
 */
import { html, layout } from './html.js';

export interface ConsentView {
  /** The consent token of this session and request. */
  consent: string;
  /** The authorization request, carried through the form and checked again. */
  query: string;
  clientName: string;
  clientDescription: string | null;
  organizationName: string;
  personName: string;
  personEmail: string;
  /** Each scope asked for, with its description; null for a scope tokend does not know (shown by its name alone). */
  scopes: ReadonlyArray<{ id: string; description: string | null }>;
}

/** A scope in words: what it lets the app do, with its name beneath; an unknown scope by its name alone. */
function scopeItem(scope: { id: string; description: string | null }) {
  return scope.description === null
    ? html`<li>A permission tokend does not describe <code>${scope.id}</code></li>`
    : html`<li>${scope.description} <code>${scope.id}</code></li>`;
}

export function consentPage(view: ConsentView): string {
  const body = html`<h1>Allow ${view.clientName}?</h1>
<p class="context">Signed in as <strong>${view.personName}</strong> (${view.personEmail}), ${view.organizationName}.</p>
${view.clientDescription ? html`<p class="app-description">${view.clientDescription}</p>` : ''}
<h2 id="consent-scopes-label">${view.clientName} asks to act for you with these permissions</h2>
<ul class="scopes" aria-labelledby="consent-scopes-label">
${view.scopes.map(scopeItem)}
</ul>
<p class="hint">It can use your roles' permissions within these scopes until you remove its access on your account page.</p>
<form method="post" action="/consent" class="decision actions">
<input type="hidden" name="consent" value="${view.consent}">
<input type="hidden" name="authorize" value="${view.query}">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`;
  return layout(`Allow ${view.clientName}?`, body, { narrow: true });
}
