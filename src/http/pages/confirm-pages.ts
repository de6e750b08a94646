/**
 * The account page's questions, for a browser without the script (which asks in a dialog
 * instead): the first POST shows one of these, whose form posts again with `confirm=yes`.
 */
import type { AccountSignIn } from '../../core/account-sign-ins.js';
import { when } from './account-page.js';
import { html, layout } from './html.js';

export function confirmRevokePage(csrf: string, signIn: AccountSignIn): string {
  const body = html`<h1>End this sign-in?</h1>
<p><strong>${signIn.clientName}</strong>, signed in ${when(signIn.signedInAt)}${signIn.thisBrowser ? ' in this browser' : ''}.</p>
<p>The app loses this access at once and has to ask you to sign in again. Your other sign-ins stay.</p>
<div class="actions">
<form method="post" action="/account/revoke">
<input type="hidden" name="csrf" value="${csrf}">
<input type="hidden" name="family" value="${signIn.familyId}">
<input type="hidden" name="confirm" value="yes">
<button type="submit" class="danger" autofocus>Revoke</button>
</form>
<a href="/account#sign-in-${signIn.familyId}">Keep it</a>
</div>`;
  return layout('End this sign-in?', body, { narrow: true });
}

export function confirmSignOutEverywherePage(csrf: string): string {
  const body = html`<h1>Sign out everywhere?</h1>
<p>Every browser and every app signed in as you, this one included, will have to sign in again.</p>
<div class="actions">
<form method="post" action="/account/sign-out-everywhere">
<input type="hidden" name="csrf" value="${csrf}">
<input type="hidden" name="confirm" value="yes">
<button type="submit" class="danger" autofocus>Sign out everywhere</button>
</form>
<a href="/account">Stay signed in</a>
</div>`;
  return layout('Sign out everywhere?', body, { narrow: true });
}
