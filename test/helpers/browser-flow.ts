/**
 * Drives the browser sign-in in process, as a browser would without JavaScript: a cookie jar,
 * GET /oauth/authorize, read the form's hidden fields, POST /login, press Allow on the consent
 * page where it appears (POST /consent), follow the Location.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { DEFAULT_IDLE_TOKEN_TIMEOUT } from '../../src/core/models.js';
import { basic, bearer, type TestApp } from './app.js';
import { ACME, clients } from './fixture.js';

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

export class CookieJar {
  readonly cookies = new Map<string, string>();
  /** The raw Set-Cookie lines of the last response that set any. */
  lastSetCookie: string[] = [];

  take(response: LightMyRequestResponse): void {
    const header = response.headers['set-cookie'];
    if (header === undefined) return;
    this.lastSetCookie = Array.isArray(header) ? header : [header];
    for (const line of this.lastSetCookie) {
      const [pair, ...attributes] = line.split(';');
      const eq = (pair ?? '').indexOf('=');
      const name = (pair ?? '').slice(0, eq);
      const value = (pair ?? '').slice(eq + 1);
      if (value === '' || attributes.some((a) => a.trim() === 'Max-Age=0')) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  }
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A sign-in of the public PKCE client (no secret): its access and refresh tokens. */
export async function pkceSignIn(t: TestApp, user: { email: string; password: string }): Promise<{ access_token: string; refresh_token: string }> {
  const { verifier, challenge } = pkcePair();
  const code = await new Browser(t).code(clients.pkceApp, clients.pkceApp.redirectUri, user, { code_challenge: challenge, code_challenge_method: 'S256' });
  const issued = await tokenRequest(t, {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    client_id: clients.pkceApp.id,
    redirect_uri: clients.pkceApp.redirectUri,
  });
  assert.equal(issued.statusCode, 200, issued.body);
  return issued.json();
}

/** The value of a hidden input in a page. */
export function hiddenField(page: string, name: string): string | undefined {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(page);
  return match?.[1]
    ?.replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

/** Whether a response is the consent page (its Allow and Deny post to /consent). */
export function isConsentPage(response: LightMyRequestResponse): boolean {
  return response.statusCode === 200 && response.body.includes('<form method="post" action="/consent"');
}

export class Browser {
  readonly jar = new CookieJar();
  constructor(
    readonly t: TestApp,
    readonly headers: Record<string, string> = {},
    /** The client address the server sees (the throttle counts per address). */
    readonly remoteAddress = '127.0.0.1',
  ) {}

  async get(url: string): Promise<LightMyRequestResponse> {
    const response = await this.t.inject({ method: 'GET', url, remoteAddress: this.remoteAddress, headers: { ...this.headers, ...this.jar.header() } });
    this.jar.take(response);
    return response;
  }

  async post(url: string, form: Record<string, string>): Promise<LightMyRequestResponse> {
    const response = await this.t.inject({
      method: 'POST',
      url,
      remoteAddress: this.remoteAddress,
      headers: { ...this.headers, ...FORM, ...this.jar.header() },
      payload: new URLSearchParams(form).toString(),
    });
    this.jar.take(response);
    return response;
  }

  /** Submits the sign-in form a page shows, with these credentials. */
  async submitSignIn(page: LightMyRequestResponse, user: { email: string; password: string }, org?: string): Promise<LightMyRequestResponse> {
    assert.equal(page.statusCode, 200, page.body);
    const csrf = hiddenField(page.body, 'csrf');
    assert.ok(csrf, 'the form has a CSRF field');
    const authorize = hiddenField(page.body, 'authorize');
    return this.post('/login', {
      csrf,
      ...(authorize !== undefined ? { authorize } : {}),
      ...(org !== undefined ? { org } : {}),
      email: user.email,
      password: user.password,
    });
  }

  /** Signs out as tokend's own "Sign out" link does (same-origin: no confirmation asked). */
  signOut(): Promise<LightMyRequestResponse> {
    return this.t
      .inject({
        method: 'GET',
        url: '/logout',
        remoteAddress: this.remoteAddress,
        headers: { ...this.headers, 'sec-fetch-site': 'same-origin', ...this.jar.header() },
      })
      .then((response) => {
        this.jar.take(response);
        return response;
      });
  }

  /** Answers the consent page `page` shows: Allow or Deny, as a person would press it. */
  async decide(page: LightMyRequestResponse, decision: 'allow' | 'deny'): Promise<LightMyRequestResponse> {
    assert.ok(isConsentPage(page), `expected the consent page, got ${page.statusCode}: ${page.body.slice(0, 300)}`);
    return this.post('/consent', { consent: hiddenField(page.body, 'consent') ?? '', authorize: hiddenField(page.body, 'authorize') ?? '', decision });
  }

  /** Signs in on the page `page` shows and, where the consent page follows, allows the app. */
  async signInAndAllow(page: LightMyRequestResponse, user: { email: string; password: string }): Promise<LightMyRequestResponse> {
    const response = await this.submitSignIn(page, user);
    return isConsentPage(response) ? this.decide(response, 'allow') : response;
  }

  /**
   * GET /oauth/authorize, signing in when the form appears and pressing Allow when the consent
   * page does (the person allows the app); returns the final redirect.
   */
  async authorize(query: Record<string, string>, user?: { email: string; password: string }): Promise<URL> {
    let response = await this.get(`/oauth/authorize?${new URLSearchParams(query)}`);
    if (response.statusCode === 200 && user && !isConsentPage(response)) response = await this.submitSignIn(response, user);
    if (isConsentPage(response)) response = await this.decide(response, 'allow');
    assert.ok(response.statusCode === 302 || response.statusCode === 303, `expected a redirect, got ${response.statusCode}: ${response.body.slice(0, 300)}`);
    return new URL(String(response.headers.location));
  }

  /** A fresh authorization code for a code client. */
  async code(client: { id: string }, redirectUri: string, user: { email: string; password: string }, extra: Record<string, string> = {}): Promise<string> {
    const location = await this.authorize({ client_id: client.id, redirect_uri: redirectUri, response_type: 'code', ...extra }, user);
    const code = location.searchParams.get('code');
    assert.ok(code, `no code in ${location}`);
    return code;
  }
}

export function tokenRequest(t: TestApp, form: Record<string, string>, headers: Record<string, string> = {}) {
  return t.inject({ method: 'POST', url: '/oauth/token', headers: { ...FORM, ...headers }, payload: new URLSearchParams(form).toString() });
}

export function assertOAuthError(response: LightMyRequestResponse, status: number, error: string, description?: string | RegExp): void {
  assert.equal(response.statusCode, status, response.body);
  const body = response.json();
  assert.equal(body.error, error, response.body);
  assert.equal(body.description, body.error_description);
  if (typeof description === 'string') assert.equal(body.error_description, description);
  else if (description) assert.match(body.error_description, description);
}

/** HTTP Basic of the fixture's code app, as its token requests send it. */
export const CODE_APP_AUTH = { authorization: basic(clients.codeApp.id, clients.codeApp.secret) };

/** The status `GET /api/v2/tokens/me` answers with `token`. */
export async function meStatus(t: TestApp, token: string): Promise<number> {
  return (await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode;
}

/** Turns the fixture organization's idle timeout off again (a test may have turned it on). */
export async function idleTimeoutOff(t: TestApp): Promise<void> {
  await t.app.tokend.store.setIdleTokenTimeout(ACME, DEFAULT_IDLE_TOKEN_TIMEOUT);
  t.app.tokend.authenticator.invalidate();
}
