/**
 * The node:http issuance lane of `POST /oauth/token` (src/http/issuance-lane.ts), over a real
 * socket: it issues and answers a client-credentials request byte for byte as the route does,
 * hands every other request to the route with its body intact, and leaves a refused issuance to
 * the route, decided and counted once. `/oauth/token?` (an empty query) is the same request to
 * Fastify but not to the lane: that is how each test gets both answers.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { basic, bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { clients, users } from '../helpers/fixture.js';
import { captureLog } from '../helpers/log-capture.js';
import { scrape, seriesOf } from '../helpers/metrics.js';
import { headerOf, listenOnLoopback, type OrderedAnswer, orderedRequest } from '../helpers/socket-request.js';

const TOKEN = '/oauth/token';
const FORM = 'application/x-www-form-urlencoded';
const CLIENT_CREDENTIALS = 'grant_type=client_credentials';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A POST, by default of the lane's one body; null sends none. */
const post = (port: number, path: string, headers: Record<string, string>, body: string | null = CLIENT_CREDENTIALS) =>
  orderedRequest(port, 'POST', path, headers, body ?? undefined);
const service = (client: { id: string; secret: string } = clients.plain) => ({ authorization: basic(client.id, client.secret), 'content-type': FORM });

/** The headers in the order sent, with what differs per request (ids, date) set aside. */
function comparable(answer: OrderedAnswer): Array<[string, string]> {
  const perRequest = new Set(['inin-correlation-id', 'genesys-correlation-id', 'date']);
  return answer.headers.filter(([name]) => !perRequest.has(name));
}

/** The body with its access token named, not quoted: two issuances differ only there. */
const withoutToken = (body: string) => body.replace(/"access_token":"[A-Za-z0-9_-]{43}"/, '"access_token":"…"');

describe('issues and answers as the route does', () => {
  let t: TestApp;
  let port: number;
  const log = captureLog();
  before(async () => {
    t = await startTestApp({ logger: { level: 'info', stream: log.stream } });
    port = await listenOnLoopback(t);
  });
  after(() => t.close());

  test('the same status, headers in the same order and body; the token is stored and cached; one access line each', async () => {
    const before = { ...t.app.issuanceLane! };
    const fast = await post(port, TOKEN, service());
    assert.deepEqual(t.app.issuanceLane, { answered: before.answered + 1, handedOn: before.handedOn }, 'answered by the lane');
    const routed = await post(port, `${TOKEN}?`, service());
    assert.deepEqual(t.app.issuanceLane, { answered: before.answered + 1, handedOn: before.handedOn }, 'answered by Fastify');

    assert.equal(fast.status, 200);
    assert.equal(routed.status, 200);
    assert.deepEqual(comparable(fast), comparable(routed));
    assert.deepEqual(
      comparable(fast).map(([name]) => name),
      ['cache-control', 'pragma', 'content-type', 'content-length', 'connection'],
    );
    assert.equal(headerOf(fast, 'cache-control'), 'no-store');
    assert.equal(withoutToken(fast.body), withoutToken(routed.body));
    assert.equal(withoutToken(fast.body), '{"access_token":"…","token_type":"bearer","expires_in":600}', "the plain client's validity");
    assert.match(headerOf(fast, 'inin-correlation-id')!, UUID);
    assert.equal(headerOf(fast, 'genesys-correlation-id'), headerOf(fast, 'inin-correlation-id'));

    const token = JSON.parse(fast.body).access_token as string;
    const me = await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(token) });
    assert.equal(me.statusCode, 200, 'the token works');
    assert.equal(me.json().OAuthClient.id, clients.plain.id);
    const scraped = await scrape(t);
    assert.equal(scraped.get('tokend_token_cache_misses_total'), 0, 'cached as it was stored');
    assert.deepEqual(seriesOf(scraped, 'tokend_issuance_lane_requests_total'), { '{outcome="answered"}': 1, '{outcome="handed_on"}': 0 });
    assert.equal(seriesOf(scraped, 'tokend_http_request_duration_seconds_count')['{route="/oauth/token",method="POST",status_class="2xx"}'], 2);
    assert.equal(seriesOf(scraped, 'tokend_tokens_issued_total')['{grant_type="client_credentials",client_kind="CLIENT-CREDENTIALS"}'], 2);

    // pino's buffered write may still be under way: the lines are read once both are there.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = log.lines().filter((line) => line.route === TOKEN);
    const shape = (line: Record<string, unknown>) => ({ ...line, time: 0, reqId: '', responseTime: 0 });
    assert.deepEqual(
      lines.map((line) => line.reqId),
      [headerOf(fast, 'inin-correlation-id'), headerOf(routed, 'inin-correlation-id')],
    );
    assert.deepEqual(shape(lines[0]!), shape(lines[1]!));
    assert.equal(lines[0]!.client, clients.plain.id);
    assert.equal(lines[0]!.statusCode, 200);
  });

  test('no Content-Type (read as a form, as the route reads it) and a body that comes in pieces', async () => {
    const answered = t.app.issuanceLane!.answered;
    const untyped = await post(port, TOKEN, { authorization: basic(clients.plain.id, clients.plain.secret) });
    assert.equal(untyped.status, 200, untyped.body);
    const pieces = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        text += chunk;
        if (text.includes('"expires_in"')) {
          socket.end();
          resolve(text);
        }
      });
      socket.on('error', reject);
      socket.write(
        `POST ${TOKEN} HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(clients.plain.id, clients.plain.secret)}\r\nContent-Type: ${FORM}\r\nContent-Length: ${CLIENT_CREDENTIALS.length}\r\n\r\ngrant_type=`,
      );
      setTimeout(() => socket.write('client_credentials'), 30);
    });
    assert.match(pieces, /^HTTP\/1\.1 200 OK\r\n/);
    assert.equal(t.app.issuanceLane!.answered, answered + 2);
  });
});

describe('hands every other request to the route, its body intact', () => {
  let t: TestApp;
  let port: number;
  before(async () => {
    t = await startTestApp();
    port = await listenOnLoopback(t);
  });
  after(() => t.close());

  /** Sends the request to the lane and to Fastify (an empty query string): both must answer alike, neither through the lane. */
  async function bothAnswer(headers: Record<string, string>, body: string | null): Promise<OrderedAnswer> {
    const before = { ...t.app.issuanceLane! };
    const fast = await post(port, TOKEN, headers, body);
    const routed = await post(port, `${TOKEN}?`, headers, body);
    assert.equal(t.app.issuanceLane!.answered, before.answered, 'not answered by the lane');
    assert.equal(t.app.issuanceLane!.handedOn, before.handedOn + 1, 'handed on once');
    assert.equal(fast.status, routed.status, fast.body);
    assert.deepEqual(comparable(fast), comparable(routed));
    assert.equal(withoutToken(fast.body), withoutToken(routed.body));
    return fast;
  }

  const cases: Array<[string, Record<string, string>, string | null, number, string]> = [
    [
      'another grant (its body read by the lane, then parsed by the route)',
      service(clients.passwordApp),
      new URLSearchParams({ grant_type: 'password', username: users.bob.email, password: users.bob.password }).toString(),
      200,
      'access_token',
    ],
    ['client credentials with a scope', service(), `${CLIENT_CREDENTIALS}&scope=openid`, 200, 'access_token'],
    ['a parameter given twice', service(), `${CLIENT_CREDENTIALS}&${CLIENT_CREDENTIALS}`, 400, 'parameter grant_type was given more than once'],
    ['a percent-encoded NUL in the body', service(), `${CLIENT_CREDENTIALS}&x=%00`, 400, 'NUL'],
    ['an empty body', service(), '', 400, 'missing required parameter: grant_type'],
    ['a JSON body', { ...service(), 'content-type': 'application/json' }, '{"grant_type":"client_credentials"}', 415, 'application/x-www-form-urlencoded'],
    ['a form type with parameters', { ...service(), 'content-type': `${FORM}; charset=utf-8` }, CLIENT_CREDENTIALS, 200, 'access_token'],
    ['a form type in capitals', { ...service(), 'content-type': FORM.toUpperCase() }, CLIENT_CREDENTIALS, 200, 'access_token'],
    ['a chunked body', { ...service(), 'transfer-encoding': 'chunked' }, CLIENT_CREDENTIALS, 200, 'access_token'],
    // A secret is read from the Basic header only (CONTRACT.md): in the form it authenticates nobody.
    [
      'the secret in the form, no Basic header',
      { 'content-type': FORM },
      `${CLIENT_CREDENTIALS}&client_id=${clients.plain.id}&client_secret=${clients.plain.secret}`,
      401,
      'invalid_client',
    ],
    ['no credential at all', { 'content-type': FORM }, CLIENT_CREDENTIALS, 401, 'invalid_client'],
    ['a Basic credential holding a NUL', { ...service(), authorization: basic(`${clients.plain.id}\0`, clients.plain.secret) }, CLIENT_CREDENTIALS, 400, 'NUL'],
    ['a body longer than the lane reads', service(), `${CLIENT_CREDENTIALS}&pad=${'x'.repeat(2000)}`, 200, 'access_token'],
  ];
  for (const [name, headers, body, status, says] of cases) {
    test(`${name}: ${status}`, async () => {
      const answer = await bothAnswer(headers, body);
      assert.equal(answer.status, status, answer.body);
      assert.ok(answer.body.includes(says), answer.body);
    });
  }

  test('an Origin header: the route answers, with its CORS headers', async () => {
    const answer = await bothAnswer({ ...service(), origin: 'https://app.acme.test' }, CLIENT_CREDENTIALS);
    assert.equal(answer.status, 200);
  });
});

describe('a refused issuance is answered by the route, decided and counted once', () => {
  let t: TestApp;
  let port: number;
  before(async () => {
    t = await startTestApp({ issueRateLimitPerMinute: 2 });
    port = await listenOnLoopback(t);
  });
  after(() => t.close());

  test('a wrong secret: 401 invalid_client as the route answers it; the fifth failure from an address is the last before its cap', async () => {
    const wrong = { authorization: basic(clients.readonlyApp.id, 'not-the-secret'), 'content-type': FORM };
    const handedOn = t.app.issuanceLane!.handedOn;
    const first = await post(port, TOKEN, wrong);
    const routed = await post(port, `${TOKEN}?`, wrong);
    assert.equal(first.status, 401);
    assert.deepEqual(comparable(first), comparable(routed));
    assert.equal(first.body, routed.body);
    assert.deepEqual(JSON.parse(first.body), { error: 'invalid_client', description: 'authentication failed', error_description: 'authentication failed' });
    assert.equal(headerOf(first, 'www-authenticate'), 'Basic realm="tokend"');
    assert.equal(t.app.issuanceLane!.handedOn, handedOn + 1);
    // Two failures so far; three more reach the cap of 5 per client and address, and the sixth is refused whatever the secret.
    for (let i = 0; i < 3; i++) assert.equal((await post(port, TOKEN, wrong)).status, 401);
    const capped = await post(port, TOKEN, { ...wrong, authorization: basic(clients.readonlyApp.id, clients.readonlyApp.secret) });
    assert.equal(capped.status, 429, capped.body);
    assert.equal(JSON.parse(capped.body).error, 'invalid_client');
  });

  test('the issuance limit: two tokens, then one 429 counted once', async () => {
    assert.equal((await post(port, TOKEN, service(clients.wildcard))).status, 200);
    assert.equal((await post(port, TOKEN, service(clients.wildcard))).status, 200);
    const limited = await post(port, TOKEN, service(clients.wildcard));
    assert.equal(limited.status, 429, limited.body);
    assert.ok(Number(headerOf(limited, 'retry-after')) > 0);
    const scraped = await scrape(t);
    assert.equal(seriesOf(scraped, 'tokend_throttle_refusals_total')['{throttle="issuance"}'], 1);
    assert.equal(seriesOf(scraped, 'tokend_tokens_issued_total')['{grant_type="client_credentials",client_kind="CLIENT-CREDENTIALS"}'], 2);
  });

  test('a disabled client: 400 unauthorized_client, nothing issued', async () => {
    const answer = await post(port, TOKEN, service(clients.disabled));
    const routed = await post(port, `${TOKEN}?`, service(clients.disabled));
    assert.equal(answer.status, 400, answer.body);
    assert.equal(JSON.parse(answer.body).error, 'unauthorized_client');
    assert.equal(answer.body, routed.body);
    assert.deepEqual(comparable(answer), comparable(routed));
  });
});

test('with a test fault set, the route answers (and applies the fault); once cleared, the lane answers again', async () => {
  const t = await startTestApp({ testControls: true });
  try {
    const port = await listenOnLoopback(t);
    const added = await t.inject({
      method: 'POST',
      url: '/api/v2/tokend/test/faults',
      payload: { match: { clientId: clients.plain.id }, respond: { status: 503 } },
    });
    assert.equal(added.statusCode, 201, added.body);
    const faulted = await post(port, TOKEN, service());
    assert.equal(faulted.status, 503, faulted.body);
    assert.equal(JSON.parse(faulted.body).error, 'temporarily_unavailable');
    assert.deepEqual(t.app.issuanceLane, { answered: 0, handedOn: 1 });
    assert.equal((await post(port, TOKEN, service())).status, 200);
    assert.deepEqual(t.app.issuanceLane, { answered: 1, handedOn: 1 });
  } finally {
    await t.close();
  }
});

test('behind trusted proxies the route answers: the caller is the forwarded address, as the throttles count it', async () => {
  const t = await startTestApp({ trustedProxies: ['127.0.0.1'] });
  try {
    const port = await listenOnLoopback(t);
    const answer = await post(port, TOKEN, { ...service(), 'x-forwarded-for': '198.51.100.7' });
    assert.equal(answer.status, 200);
    assert.deepEqual(t.app.issuanceLane, { answered: 0, handedOn: 1 });
  } finally {
    await t.close();
  }
});

test('fastLane: false turns the issuance lane off too', async () => {
  const t = await startTestApp({ fastLane: false });
  try {
    const port = await listenOnLoopback(t);
    assert.equal((await post(port, TOKEN, service())).status, 200);
    assert.equal(t.app.issuanceLane, null);
  } finally {
    await t.close();
  }
});
