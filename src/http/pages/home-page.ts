/** `GET /`: what this server is and where to go, for a person who opens the address tokend prints at start-up. */
import { html, layout } from './html.js';

export function homePage(): string {
  const body = html`<h1>tokend</h1>
<p>A token service that speaks the Genesys Cloud API: apps sign people in here and get OAuth tokens, and check or revoke them through the same Tokens API as Genesys Cloud's.</p>
<h2>For people</h2>
<ul class="links">
<li><a href="/account">Your account</a>: where you are signed in, the apps you allowed, signing out everywhere.</li>
</ul>
<h2>For developers and operators</h2>
<ul class="links">
<li><a href="/api/v2/docs/openapi.json">The API document</a> (OpenAPI, JSON)</li>
<li><a href="/.well-known/oauth-authorization-server">The OAuth server metadata</a> (JSON)</li>
<li><a href="/health/live">Liveness</a> and <a href="/health/ready">readiness</a> (JSON)</li>
</ul>`;
  return layout('Home', body);
}
