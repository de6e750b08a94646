/**
 * The account page: who is signed in, the apps they authorized with "Remove access" each, their
 * live tokens with a revoke button each, and "sign out everywhere".
 */
import type { AccountToken } from '../../core/account.js';
import { html, layout } from './html.js';

/** An app the person allowed on the consent page. */
export interface AccountApp {
  clientId: string;
  clientName: string;
  scopes: string[];
  allowedAt: number;
}

export interface AccountView {
  csrf: string;
  name: string;
  email: string;
  organizationName: string;
  apps: AccountApp[];
  tokens: AccountToken[];
  notice?: string;
}

const when = (ms: number | null) =>
  ms === null
    ? html`<span class="none">never</span>`
    : html`<time datetime="${new Date(ms).toISOString()}">${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC</time>`;

export function accountPage(view: AccountView): string {
  const rows = view.tokens.map(
    (t) => html`<tr>
<td>${t.clientName}</td>
<td>${t.kind}</td>
<td>${when(t.issuedAt)}</td>
<td>${when(t.lastUsedAt)}</td>
<td>${when(t.expiresAt)}</td>
<td>${t.idlesAt === null ? html`<span class="none">no idle timeout</span>` : when(t.idlesAt)}</td>
<td><form method="post" action="/account/revoke">
<input type="hidden" name="csrf" value="${view.csrf}">
<input type="hidden" name="family" value="${t.familyId}">
<button type="submit" aria-label="Revoke the ${t.kind} token of ${t.clientName} issued ${new Date(t.issuedAt).toISOString()}">Revoke</button>
</form></td>
</tr>`,
  );
  const apps = view.apps.map(
    (a) => html`<tr>
<td>${a.clientName}</td>
<td>${a.scopes.join(' ')}</td>
<td>${when(a.allowedAt)}</td>
<td><form method="post" action="/account/remove-access">
<input type="hidden" name="csrf" value="${view.csrf}">
<input type="hidden" name="client" value="${a.clientId}">
<button type="submit" aria-label="Remove the access of ${a.clientName}">Remove access</button>
</form></td>
</tr>`,
  );
  const body = html`<h1>Your account</h1>
<p>Signed in as <strong>${view.name}</strong> (${view.email}), ${view.organizationName}.</p>
${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}
<table>
<caption>Apps you allowed</caption>
<thead><tr><th scope="col">App</th><th scope="col">Scopes</th><th scope="col">Allowed</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
<tbody>
${apps.length > 0 ? apps : html`<tr><td colspan="4">No apps.</td></tr>`}
</tbody>
</table>
<p class="hint">Removing an app's access ends every token it holds for you; it asks again the next time you sign in to it.</p>
<table>
<caption>Your active tokens</caption>
<thead><tr><th scope="col">Client</th><th scope="col">Kind</th><th scope="col">Issued</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col">Idles at</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
<tbody>
${rows.length > 0 ? rows : html`<tr><td colspan="7">No active tokens.</td></tr>`}
</tbody>
</table>
<p class="hint">Revoking a token also ends the refresh token of the same sign-in.</p>
<form method="post" action="/account/sign-out-everywhere">
<input type="hidden" name="csrf" value="${view.csrf}">
<button type="submit" class="danger">Sign out everywhere</button>
</form>
<p><a href="/logout">Sign out of this browser</a></p>`;
  return layout('Your account', body);
}
