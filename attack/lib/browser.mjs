/**
 * A browser as the consent and sign-out attacks need one, over real HTTP: a cookie jar, the
 * sign-in page, the consent page's hidden fields. Cookies go where a browser would send them:
 * `crossSite()` gives the same person's browser as a request from another site makes it, with
 * no SameSite=Lax cookie on a POST (what Chromium and Firefox do) and `Sec-Fetch-Site: cross-site`.
 */
import { form, send } from './http.mjs';

export class Browser {
  cookies = new Map();

  constructor(server, from) {
    this.server = server;
    this.from = from;
  }

  #cookieHeader() {
    return this.cookies.size === 0 ? {} : { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  }

  #take(response) {
    const lines = response.headers?.['set-cookie'] ?? [];
    for (const line of Array.isArray(lines) ? lines : [lines]) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || attributes.some((a) => a.trim() === 'Max-Age=0')) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  async get(path, headers = {}) {
    return this.#take(await send(this.server, { from: this.from, path, headers: { ...headers, ...this.#cookieHeader() } }));
  }

  async post(path, fields, headers = {}, { withCookies = true } = {}) {
    return this.#take(
      await send(this.server, {
        from: this.from,
        method: 'POST',
        path,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers, ...(withCookies ? this.#cookieHeader() : {}) },
        body: form(fields),
      }),
    );
  }

  /** Signs in on `/login` (organization, email, password); throws unless it worked. */
  async signIn(organization, email, password) {
    const page = await this.get('/login');
    const csrf = hidden(page.body, 'csrf');
    const response = await this.post('/login', { csrf, org: organization, email, password }, { 'sec-fetch-site': 'same-origin' });
    if (response.status !== 303 || !this.cookies.has('tokend_session')) throw new Error(`sign-in failed: ${response.status} ${response.error ?? ''}`);
  }
}

/** The value of a hidden input of a page, unescaped. */
export function hidden(page, name) {
  const value = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(page ?? '')?.[1];
  return value
    ?.replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export const isConsentPage = (response) => response.status === 200 && (response.body ?? '').includes('<form method="post" action="/consent"');

/** The `code` or `access_token` a redirect carries, or null. */
export function issuedIn(response) {
  const location = response.headers?.location;
  if (!location) return null;
  const url = new URL(location, 'http://tokend.invalid');
  return url.searchParams.get('code') ?? new URLSearchParams(url.hash.slice(1)).get('access_token');
}
