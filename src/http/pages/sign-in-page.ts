/** The sign-in form: plain HTML that works without JavaScript, every field with a visible label. */
import { html, layout } from './html.js';

export interface SignInView {
  csrf: string;
  /** The authorization request to continue, or undefined for a sign-in to the account page. */
  authorize?: { query: string; clientName: string; organizationName: string };
  /** Standalone sign-in: the organization field's value. */
  organization?: string;
  email?: string;
  error?: string;
}

export function signInPage(view: SignInView): string {
  const { authorize } = view;
  const body = html`<h1>Sign in</h1>
${authorize ? html`<p class="context">to continue to <strong>${authorize.clientName}</strong> (${authorize.organizationName})</p>` : html`<p class="context">to manage your tokens</p>`}
${view.error ? html`<p class="error" role="alert" id="sign-in-error">${view.error}</p>` : ''}
<form method="post" action="/login"${view.error ? html` aria-describedby="sign-in-error"` : ''}>
<input type="hidden" name="csrf" value="${view.csrf}">
${
  authorize
    ? html`<input type="hidden" name="authorize" value="${authorize.query}">`
    : html`<label for="org">Organization</label>
<input id="org" name="org" type="text" autocomplete="organization" required value="${view.organization ?? ''}">`
}
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus value="${view.email ?? ''}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`;
  return layout('Sign in', body);
}
