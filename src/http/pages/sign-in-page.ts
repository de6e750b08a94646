/**
 * The sign-in form: plain HTML that works without JavaScript, every field with a visible label.
 * An error names no field it cannot name honestly: a wrong organization, email or password all
 * get one message and mark every field (never which one was wrong), while an empty field is
 * marked alone. The script (assets/script.ts) adds the show-password button and the Caps Lock hint.
 */
import { type Html, html, layout } from './html.js';

export type SignInField = 'org' | 'email' | 'password';

export interface SignInError {
  message: string;
  /** The fields the message is about (`aria-invalid`, tied to it by `aria-describedby`); none for a form-wide error. */
  fields: readonly SignInField[];
}

export interface SignInView {
  csrf: string;
  /** The authorization request to continue, or undefined for a sign-in to the account page. */
  authorize?: { query: string; clientName: string; organizationName: string; cancelHref: string };
  /** Standalone sign-in: the organization field's value. */
  organization?: string;
  email?: string;
  /** The email came from this browser's device cookie: offer "Not you?". */
  remembered?: boolean;
  error?: SignInError;
}

const ORG_HINT = "Your organization's name, as your administrator gave it.";

export function signInPage(view: SignInView): string {
  const { authorize, error } = view;
  const invalid = (field: SignInField) => error?.fields.includes(field) ?? false;
  const firstInvalid = (['org', 'email', 'password'] as const).find((field) => invalid(field) && (field !== 'org' || !authorize));
  const focus: SignInField = firstInvalid ?? (!authorize && !view.organization ? 'org' : view.email ? 'password' : 'email');
  /** The attributes of a field: its hint and error, whether it is wrong, whether it takes the focus. */
  const state = (field: SignInField, hint?: string): Html => {
    const describedBy = [hint, invalid(field) ? 'sign-in-error' : undefined].filter(Boolean).join(' ');
    return html`${describedBy ? html` aria-describedby="${describedBy}"` : ''}${invalid(field) ? html` aria-invalid="true"` : ''}${focus === field ? html` autofocus` : ''}`;
  };
  const body = html`<h1>Sign in</h1>
${
  authorize
    ? html`<p class="context">to continue to <strong>${authorize.clientName}</strong> (${authorize.organizationName})</p>`
    : html`<p class="context">to see your account and the apps you signed in to</p>`
}
${error ? html`<p class="error" role="alert" id="sign-in-error">${error.message}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="csrf" value="${view.csrf}">
${
  authorize
    ? html`<input type="hidden" name="authorize" value="${authorize.query}">`
    : html`<label for="org">Organization</label>
<p class="field-hint" id="org-hint">${ORG_HINT}</p>
<input id="org" name="org" type="text" autocomplete="organization" required value="${view.organization ?? ''}"${state('org', 'org-hint')}>`
}
<label for="email">Email</label>
${view.remembered ? html`<p class="field-hint remembered" id="remembered">This browser remembers you. <a href="#email" data-not-you="email">Not you? Use another email</a></p>` : ''}
<input id="email" name="email" type="email" autocomplete="username" required value="${view.email ?? ''}"${state('email', view.remembered ? 'remembered' : undefined)}>
<label for="password">Password</label>
<div class="password-row"><input id="password" name="password" type="password" autocomplete="current-password" required data-reveal data-caps-hint="caps-hint"${state('password')}></div>
<p class="field-hint" id="caps-hint" hidden>Caps Lock is on.</p>
<div class="actions">
<button type="submit">Sign in</button>
${authorize ? html`<a href="${authorize.cancelHref}">Cancel and go back to ${authorize.clientName}</a>` : ''}
</div>
</form>`;
  return layout('Sign in', body, { narrow: true });
}
