/**
 * The account page: who is signed in, where (one card per sign-in, by app, "this browser"
 * marked), the apps they allowed with "Remove access" each, and "sign out everywhere". Times are
 * written in UTC; the script turns them into local and relative ones ("2 hours ago"). Revoke
 * and "Sign out everywhere" ask first: in a dialog with the script, on a page of their own
 * without it (confirm-pages.ts). After an action the page comes back with its notice focused.
 */
import type { AccountApp, AccountSignIn } from '../../core/account-sign-ins.js';
import { type Html, html, layout } from './html.js';

/** An app the person allowed on the consent page. */
export interface AllowedApp {
  clientId: string;
  clientName: string;
  scopes: ReadonlyArray<{ id: string; description: string | null }>;
  allowedAt: number;
}

export interface AccountNotice {
  text: string;
  /** The section the action was taken in, where the notice (and the focus) lands. */
  section: 'sign-ins' | 'apps';
}

export interface AccountView {
  csrf: string;
  name: string;
  email: string;
  organizationName: string;
  allowed: AllowedApp[];
  signIns: AccountApp[];
  notice?: AccountNotice;
}

/** "2026-12-07 05:10 UTC": short enough for one line at 390 px; the script makes it local and relative. */
export function utcText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function when(ms: number | null): Html {
  if (ms === null) return html`<span class="none">never</span>`;
  const iso = new Date(ms).toISOString();
  return html`<time datetime="${iso}" title="${utcText(ms)}" data-relative>${utcText(ms)}</time>`;
}

/** The words of a sign-in in a button's label and on its confirmation page. */
export function signInWords(signIn: AccountSignIn): string {
  return `${signIn.clientName}, signed in ${utcText(signIn.signedInAt)}${signIn.thisBrowser ? ' in this browser' : ''}`;
}

const notice = (view: AccountView, section: AccountNotice['section']) =>
  view.notice?.section === section ? html`<p class="notice" role="status" id="notice" tabindex="-1">${view.notice.text}</p>` : '';

function signInCard(view: AccountView, signIn: AccountSignIn): Html {
  return html`<li class="card" id="sign-in-${signIn.familyId}" tabindex="-1">
<div class="card-head"><p class="title">Signed in ${when(signIn.signedInAt)}</p>${signIn.thisBrowser ? html`<span class="badge">This browser</span>` : ''}</div>
<dl class="facts">
<dt>Last used</dt><dd>${when(signIn.lastUsedAt)}</dd>
<dt>Ends</dt><dd>${when(signIn.endsAt)}${signIn.renewable ? ' (the app can renew it)' : ''}</dd>
${signIn.idlesAt === null ? '' : html`<dt>Idles out</dt><dd>${when(signIn.idlesAt)} unless used</dd>`}
</dl>
<form method="post" action="/account/revoke" data-confirm="End this sign-in? ${signIn.clientName} will have to ask you to sign in again.">
<input type="hidden" name="csrf" value="${view.csrf}">
<input type="hidden" name="family" value="${signIn.familyId}">
<button type="submit" class="danger small" aria-label="Revoke: ${signInWords(signIn)}">Revoke</button>
</form>
</li>`;
}

function allowedCard(view: AccountView, app: AllowedApp): Html {
  return html`<li class="card" id="app-${app.clientId}">
<p class="title">${app.clientName}</p>
<p class="meta">Allowed ${when(app.allowedAt)} to:</p>
<ul class="links">${app.scopes.map((scope) => html`<li>${scope.description ?? scope.id}</li>`)}</ul>
<form method="post" action="/account/remove-access">
<input type="hidden" name="csrf" value="${view.csrf}">
<input type="hidden" name="client" value="${app.clientId}">
<button type="submit" class="danger small">Remove access<span class="visually-hidden"> of ${app.clientName}</span></button>
</form>
</li>`;
}

export function accountPage(view: AccountView): string {
  const signIns = view.signIns.map(
    (app) => html`<h3>${app.clientName}</h3>
<ul class="cards">
${app.signIns.map((signIn) => signInCard(view, signIn))}
</ul>`,
  );
  const body = html`<h1>Your account</h1>
<p>Signed in as <strong>${view.name}</strong> (${view.email}), ${view.organizationName}.</p>
<section aria-labelledby="sign-ins-title">
<h2 id="sign-ins-title">Where you are signed in</h2>
${notice(view, 'sign-ins')}
${signIns.length > 0 ? signIns : html`<p class="none">No app holds a sign-in of yours.</p>`}
<p class="hint">Revoking a sign-in ends its access token and the refresh token that renews it.</p>
</section>
<section aria-labelledby="apps-title">
<h2 id="apps-title">Apps you allowed</h2>
${notice(view, 'apps')}
${view.allowed.length > 0 ? html`<ul class="cards">${view.allowed.map((app) => allowedCard(view, app))}</ul>` : html`<p class="none">No apps.</p>`}
<p class="hint">Removing an app's access ends every sign-in it holds for you; it asks again the next time you sign in to it.</p>
</section>
<section aria-labelledby="sign-out-title">
<h2 id="sign-out-title">Sign out</h2>
<div class="actions">
<form method="post" action="/account/sign-out-everywhere" data-confirm="Sign out everywhere? Every browser and every app signed in as you will have to sign in again.">
<input type="hidden" name="csrf" value="${view.csrf}">
<button type="submit" class="danger">Sign out everywhere</button>
</form>
<a href="/logout">Sign out of this browser</a>
</div>
</section>`;
  return layout('Your account', body);
}
