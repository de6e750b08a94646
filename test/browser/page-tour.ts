/**
 * A walk through every page of tokend in one Chromium context, as a person would take it, calling
 * `visit` on each: the home page, the sign-in page (on its own and for an app, with and without
 * an error, and remembering the person), the error pages, consent, the account page (sign-ins
 * in this browser and another, an allowed app), its confirmations and notices, the sign-out
 * question and "signed out". The accessibility test checks each page; scripts/screenshots.mjs
 * photographs each.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { Browser, tokenRequest } from '../helpers/browser-flow.js';
import { clients, users } from '../helpers/fixture.js';
import { basic } from '../helpers/app.js';

export type Visit = (name: string, page: Page) => Promise<void>;

const UNKNOWN_CLIENT = '00000000-0000-4000-8000-000000000000';
const person = users.bob;
let tours = 0;

/** Another browser's sign-in of the person (the code app, allowed) and a password-grant token, for the account page to list. */
async function elsewhere(t: TestApp): Promise<void> {
  const location = await new Browser(t).authorize({ client_id: clients.codeApp.id, redirect_uri: clients.codeApp.redirectUri, response_type: 'code' }, person);
  const issued = await tokenRequest(
    t,
    { grant_type: 'authorization_code', code: location.searchParams.get('code') as string, redirect_uri: clients.codeApp.redirectUri },
    { authorization: basic(clients.codeApp.id, clients.codeApp.secret) },
  );
  assert.equal(issued.statusCode, 200, issued.body);
  await t.token(clients.passwordApp, person);
}

/**
 * The implicit app's page, where the browser lands after tokend: a real server (Chromium does not
 * route a redirect's target), on a loopback port, which the app's registered loopback URI allows.
 */
export async function startFakeApp(): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = createServer((_request, response) =>
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html lang="en"><title>App</title><h1>The app</h1></html>'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Posts a form as a page would, bypassing the script's confirmation (form.submit() fires no submit event). */
async function postForm(page: Page, action: string, fields: Record<string, string>): Promise<void> {
  await Promise.all([
    page.waitForURL((url) => url.pathname === action),
    page.evaluate(
      ({ action, fields }) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = action;
        for (const [name, value] of Object.entries(fields)) {
          const input = document.createElement('input');
          input.type = 'hidden';
          input.name = name;
          input.value = value;
          form.appendChild(input);
        }
        document.body.appendChild(form);
        form.submit();
      },
      { action, fields },
    ),
  ]);
}

async function submitFirst(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.evaluate((selector) => (document.querySelector(selector) as HTMLFormElement).submit(), selector)]);
}

export async function tourPages(t: TestApp, origin: string, appOrigin: string, page: Page, visit: Visit): Promise<void> {
  await elsewhere(t);
  // Wrong guesses under an email of their own each tour: the throttle counts 5 per account and address.
  tours += 1;
  const mistyped = `bob.${tours}@acme.test`;
  const authorizeUrl = (query: Record<string, string>) => `${origin}/oauth/authorize?${new URLSearchParams(query)}`;
  const codeRequest = { client_id: clients.codeApp.id, redirect_uri: clients.codeApp.redirectUri, response_type: 'code', state: 'tour' };

  await page.goto(`${origin}/`);
  await visit('home', page);

  await page.goto(`${origin}/login`);
  await visit('sign-in', page);
  await page.fill('#org', 'Acme Corp');
  await page.fill('#email', mistyped);
  await page.fill('#password', 'not-the-password');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  await visit('sign-in-error', page);

  await page.goto(authorizeUrl(codeRequest));
  await visit('sign-in-app', page);
  await page.fill('#email', mistyped);
  await page.fill('#password', 'not-the-password');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  await visit('sign-in-app-error', page);

  await page.goto(authorizeUrl({ ...codeRequest, client_id: UNKNOWN_CLIENT }));
  await visit('error-unknown-app', page);
  await page.goto(`${origin}/oauth/authorize`);
  await visit('error-incomplete-link', page);
  await postForm(page, '/consent', {});
  await visit('error-form-not-understood', page);

  // Sign in for the implicit app, which asks first: the consent page.
  await page.goto(authorizeUrl({ client_id: clients.implicitApp.id, redirect_uri: `${appOrigin}/implicit`, response_type: 'token' }));
  await page.fill('#email', person.email);
  await page.fill('#password', person.password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  await visit('consent', page);
  await Promise.all([page.waitForURL((url) => url.pathname === '/implicit'), page.click('button[value=allow]')]);

  await page.goto(`${origin}/account`);
  await visit('account', page);
  await submitFirst(page, 'form[action="/account/revoke"]');
  await visit('confirm-revoke', page);
  await page.goto(`${origin}/account`);
  await submitFirst(page, 'form[action="/account/sign-out-everywhere"]');
  await visit('confirm-sign-out-everywhere', page);

  // Revoke the other browser's sign-in with the script's dialog, accepted: back with the notice focused.
  await page.goto(`${origin}/account`);
  page.once('dialog', (dialog) => void dialog.accept());
  await Promise.all([page.waitForURL((url) => url.search === '?done=revoked'), page.locator('.card:not(:has(.badge)) button').first().click()]);
  await page.waitForFunction(() => document.activeElement?.id === 'notice');
  await visit('account-after-revoke', page);
  await Promise.all([page.waitForURL((url) => url.search === '?done=removed'), page.getByRole('button', { name: 'Remove access of Implicit app' }).click()]);
  await visit('account-after-remove-access', page);

  await postForm(page, '/account/revoke', { csrf: 'forged', family: 'x' });
  await visit('error-request-refused', page);

  // A sign-out link on another site: asked first.
  await page.route(`${origin}/logout`, (route) => route.continue({ headers: { ...route.request().headers(), 'sec-fetch-site': 'cross-site' } }));
  await page.goto(`${origin}/logout`);
  await visit('sign-out-question', page);
  await page.unroute(`${origin}/logout`);
  await page.goto(`${origin}/logout`);
  await visit('signed-out', page);

  await page.goto(`${origin}/login`);
  await visit('sign-in-remembered', page);
}
