/**
 * Admin actions hold (issue 13, item 5), through the command line as an admin runs it against
 * the store a server is using: disabling a user ends their browser sessions so that enabling
 * them does not bring one back; revoke-user and set-password end sessions too; a restart with
 * the same seed keeps a rotated secret and an admin's disables.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { basic, bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { Browser, tokenRequest } from '../helpers/browser-flow.js';
import { clients, users } from '../helpers/fixture.js';
import { cliHome, json, listeningTokend } from './helpers.js';

const cli = cliHome();
after(() => cli.dispose());
const admin = (t: TestApp, args: string[], input?: string) =>
  cli.run(args, { env: { TOKEND_DATABASE: t.database }, ...(input === undefined ? {} : { input }) });

const codeQuery = { client_id: clients.codeApp.id, redirect_uri: clients.codeApp.redirectUri, response_type: 'code' };
const implicitQuery = { client_id: clients.implicitApp.id, redirect_uri: clients.implicitApp.redirectUri, response_type: 'token' };

describe('sign-in sessions end with the admin action', () => {
  let t: Awaited<ReturnType<typeof listeningTokend>>;
  before(async () => {
    t = await listeningTokend();
  });
  after(() => t.close());

  /** A browser signed in through the page, and the token the implicit flow gave it. */
  async function signedIn(user: { email: string; password: string }) {
    const browser = new Browser(t);
    const location = await browser.authorize(implicitQuery, user);
    const token = new URLSearchParams(location.hash.slice(1)).get('access_token');
    assert.ok(token);
    assert.equal((await browser.get('/account')).statusCode, 200, 'the session cookie opens the account page');
    return { browser, token };
  }

  /** What the old session cookie gets now: the sign-in form instead of a code, and no account page. */
  async function assertSignedOut(browser: Browser) {
    const authorize = await browser.get(`/oauth/authorize?${new URLSearchParams(codeQuery)}`);
    assert.equal(authorize.statusCode, 200, `expected the sign-in form, got ${authorize.statusCode} ${String(authorize.headers.location)}`);
    assert.match(authorize.body, /<form method="post" action="\/login">/);
    const account = await browser.get('/account');
    assert.deepEqual([account.statusCode, account.headers.location], [303, '/login']);
  }

  test('users disable ends the browser session; users enable does not bring it back', async () => {
    const { browser, token } = await signedIn(users.alice);
    const disabled = await admin(t, ['users', 'disable', users.alice.id]);
    assert.equal(disabled.code, 0, disabled.stderr);
    assert.deepEqual(json(disabled), { id: users.alice.id, state: 'inactive', endedSessions: 1, revokedTokens: 1 });
    assert.equal(disabled.stderr, `Disabled user ${users.alice.id}: ended 1 sign-in session, revoked 1 token.\n`);
    const enabled = await admin(t, ['users', 'enable', users.alice.id]);
    assert.deepEqual([enabled.code, json(enabled)], [0, { id: users.alice.id, state: 'active' }]);
    assert.equal(enabled.stderr, `Enabled user ${users.alice.id}: ended nothing; sessions and tokens ended before stay ended.\n`);
    await assertSignedOut(browser);
    assert.equal((await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 401);
    // The person signs in again with their password and is let in.
    const again = await new Browser(t).authorize(codeQuery, users.alice);
    assert.ok(again.searchParams.get('code'));
  });

  test('tokens revoke-user ends the browser session as well as the tokens', async () => {
    const { browser, token } = await signedIn(users.bob);
    const run = await admin(t, ['tokens', 'revoke-user', users.bob.id]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(json(run), { userId: users.bob.id, endedSessions: 1, revokedTokens: 1 });
    await assertSignedOut(browser);
    assert.equal((await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 401);
  });

  test('users set-password ends the browser session; the tokens stay valid, as documented', async () => {
    const { browser, token } = await signedIn(users.carol);
    const run = await admin(t, ['users', 'set-password', users.carol.id, '--password-stdin'], 'carol-second-password\n');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(json(run), { id: users.carol.id, passwordChanged: true, endedSessions: 1 });
    assert.equal(
      run.stderr,
      `Set the password of user ${users.carol.id}: ended 1 sign-in session; their tokens stay valid (tokend tokens revoke-user ends them).\n`,
    );
    await assertSignedOut(browser);
    assert.equal((await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 200);
  });
});

describe('a restart with the same seed keeps what an admin changed', () => {
  const seed = {
    organizations: [
      {
        name: 'Restart Co',
        roles: [{ name: 'Reader', permissions: [] }],
        users: [{ id: '33333333-0000-4000-8000-00000000c001', name: 'Rita', email: 'rita@restart.test', password: 'rita-password' }],
        clients: [
          {
            id: '33333333-0000-4000-8000-00000000d001',
            name: 'Rotated',
            secret: 'seeded-secret',
            authorizedGrantType: 'CLIENT-CREDENTIALS',
            roles: ['Reader'],
          },
          { id: '33333333-0000-4000-8000-00000000d002', name: 'Disabled later', secret: 'other-secret', authorizedGrantType: 'CLIENT-CREDENTIALS' },
          { id: '33333333-0000-4000-8000-00000000d003', name: 'Password app', secret: 'password-app-secret', authorizedGrantType: 'PASSWORD' },
        ],
      },
    ],
  };
  const [rita] = seed.organizations[0]!.users;
  const [rotated, disabledLater, passwordApp] = seed.organizations[0]!.clients;

  test('rotate-secret, clients disable and users disable hold across a restart that applies the same seed', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const first = await startTestApp({ seedFile: '', clock });
    const seedFile = join(first.dir, 'seed.json');
    writeFileSync(seedFile, JSON.stringify(seed));
    await first.app.close();
    const started = () => startTestApp({ dir: first.dir, seedFile, clock });
    let t = await started();
    try {
      const rotation = await admin(t, ['clients', 'rotate-secret', rotated!.id, '--yes']);
      assert.equal(rotation.code, 0, rotation.stderr);
      const newSecret = json<{ secret: string }>(rotation).secret;
      assert.equal((await admin(t, ['clients', 'disable', disabledLater!.id])).code, 0);
      assert.equal((await admin(t, ['users', 'disable', rita!.id])).code, 0);
      await t.app.close();
      t = await started();

      const clientCredentials = (id: string, secret: string) => tokenRequest(t, { grant_type: 'client_credentials' }, { authorization: basic(id, secret) });
      assert.equal((await clientCredentials(rotated!.id, rotated!.secret)).statusCode, 401, 'the rotated-away secret stays refused');
      assert.equal((await clientCredentials(rotated!.id, newSecret)).statusCode, 200, 'the new secret works');
      assert.equal((await clientCredentials(disabledLater!.id, disabledLater!.secret)).statusCode, 400, 'the disabled client stays disabled');
      const password = await tokenRequest(
        t,
        { grant_type: 'password', username: rita!.email, password: rita!.password },
        { authorization: basic(passwordApp!.id, passwordApp!.secret) },
      );
      assert.equal(password.statusCode, 400, 'the disabled user stays disabled');

      const reseed = await admin(t, ['seed', seedFile]);
      assert.equal(reseed.code, 0, reseed.stderr);
      assert.deepEqual(json<{ kept: string[] }>(reseed).kept, [`client ${rotated!.id} secret`]);
      assert.equal(
        reseed.stderr,
        `Applied ${seedFile}: ended 0 sign-in sessions, revoked 0 tokens; kept 1 field changed in the store since the file last set it (see "kept").\n`,
      );
      assert.equal((await clientCredentials(rotated!.id, rotated!.secret)).statusCode, 401, 'tokend seed keeps it too');
    } finally {
      await t.close();
    }
  });
});
