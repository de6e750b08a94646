/** Nothing from the network makes the browser sign-in endpoints fail with a 500 (issue 4; STYLE.md "Errors"). */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { FORM } from '../helpers/browser-flow.js';
import { clients } from '../helpers/fixture.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('odd queries, forms, cookies and bodies get 2xx, 3xx or 4xx, never 5xx', async () => {
  const long = 'x'.repeat(20_000);
  const requests: Array<Parameters<TestApp['inject']>[0]> = [
    { method: 'GET', url: '/oauth/authorize' },
    { method: 'GET', url: '/oauth/authorize?client_id=%E0%A4%A&redirect_uri=%%%' },
    { method: 'GET', url: `/oauth/authorize?client_id=${long}` },
    {
      method: 'GET',
      url: `/oauth/authorize?client_id=${clients.codeApp.id}&redirect_uri=${encodeURIComponent(`http://127.0.0.1:99999/callback`)}&response_type=code`,
    },
    {
      method: 'GET',
      url: `/oauth/authorize?client_id=${clients.codeApp.id}&redirect_uri=${encodeURIComponent('http://127.0.0.1/callback')}&response_type=code&scope=${long}`,
    },
    { method: 'GET', url: `/oauth/authorize?client_id=${clients.admin.id}&redirect_uri=x&response_type=code` },
    { method: 'GET', url: '/oauth/authorize?client_id[]=a&redirect_uri[x]=b' },
    { method: 'GET', url: '/login?org[]=a&org[]=b' },
    { method: 'GET', url: '/login', headers: { cookie: `tokend_session=${long}; tokend_csrf=\u0000` } },
    { method: 'GET', url: '/account', headers: { cookie: 'tokend_session=AAAA' } },
    { method: 'GET', url: '/logout?client_id[]=a&redirect_uri[]=b' },
    { method: 'GET', url: `/logout?client_id=${clients.codeApp.id}&redirect_uri=${long}` },
    { method: 'POST', url: '/login', headers: FORM, payload: '' },
    { method: 'POST', url: '/login', headers: FORM, payload: `authorize=${encodeURIComponent('client_id=%%')}&csrf=x` },
    { method: 'POST', url: '/login', headers: FORM, payload: `authorize=&email=a&password=b&csrf=c` },
    { method: 'POST', url: '/login', headers: { 'content-type': 'application/json' }, payload: '[1,2]' },
    { method: 'POST', url: '/login', headers: { 'content-type': 'application/json' }, payload: '{' },
    { method: 'POST', url: '/login', headers: FORM, payload: `pad=${'y'.repeat(70 * 1024)}` },
    { method: 'POST', url: '/account/revoke', headers: FORM, payload: 'family=x&csrf=y' },
    { method: 'POST', url: '/account/remove-access', headers: FORM, payload: `client=${long}&csrf=y` },
    { method: 'POST', url: '/consent', headers: FORM, payload: '' },
    { method: 'POST', url: '/consent', headers: FORM, payload: `authorize=${encodeURIComponent('client_id=%%')}&consent=x&decision=allow` },
    { method: 'POST', url: '/consent', headers: FORM, payload: `authorize=${encodeURIComponent(`client_id=${clients.codeApp.id}&redirect_uri=${long}`)}` },
    { method: 'POST', url: '/consent', headers: { 'content-type': 'application/json' }, payload: '{"authorize":["a"],"decision":{}}' },
    { method: 'POST', url: '/consent', headers: { ...FORM, cookie: `tokend_session=${'A'.repeat(43)}` }, payload: `consent=${long}&decision=${long}` },
    { method: 'POST', url: '/logout', headers: FORM, payload: `csrf=${long}` },
    { method: 'POST', url: '/logout', headers: { 'content-type': 'application/json' }, payload: '[]' },
    { method: 'GET', url: `/logout?client_id=${long}`, headers: { 'sec-fetch-site': long } },
    { method: 'POST', url: '/account/sign-out-everywhere', headers: { 'content-type': 'application/json' }, payload: 'null' },
    { method: 'POST', url: '/oauth/token', headers: FORM, payload: `grant_type=authorization_code&code=${long}&redirect_uri=x&client_id=${long}` },
    { method: 'POST', url: '/oauth/token', headers: FORM, payload: `grant_type=refresh_token&refresh_token=${long}&client_id=${clients.pkceApp.id}` },
    { method: 'POST', url: '/oauth/token', headers: { ...FORM, authorization: 'Basic' }, payload: 'grant_type=refresh_token&refresh_token=x' },
    { method: 'OPTIONS', url: '/api/v2/tokens/me', headers: { origin: 'null', 'access-control-request-headers': 'a\u0001b' } },
  ];
  for (const request of requests) {
    const response = await t.inject(request);
    assert.ok(response.statusCode < 500, `${request.method} ${String(request.url).slice(0, 80)}: ${response.statusCode} ${response.body.slice(0, 200)}`);
  }
});
