/**
 * "Sign out?": asked when a sign-out request arrives from another site without naming an app and
 * one of its registered redirect URIs (CONTRACT.md, "Consent"), so that a link on any page cannot
 * end a person's session and tokens behind their back. The form carries the session's CSRF token.
 */
import { html, layout } from './html.js';

export function signOutPage(view: { csrf: string; name: string; email: string }): string {
  const body = html`<h1>Sign out?</h1>
<p>Another site sent you here to sign you out of tokend. You are signed in as <strong>${view.name}</strong> (${view.email}).</p>
<p class="hint">Signing out ends this browser's session and the tokens issued through it.</p>
<div class="actions">
<form method="post" action="/logout">
<input type="hidden" name="csrf" value="${view.csrf}">
<button type="submit" class="danger">Sign out</button>
</form>
<a href="/account">Stay signed in</a>
</div>`;
  return layout('Sign out?', body, { narrow: true });
}
