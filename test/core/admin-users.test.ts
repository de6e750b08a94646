/**
 * The users admin core (src/core/admin/users.ts) on a real store, SQLite or PostgreSQL
 * (TOKEND_TEST_DATABASE=postgres): each rule refuses with its status, code and field and writes
 * nothing; what it does is seen by the running server at once.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createUser, endUserAccess, resetPassword, setUserState } from '../../src/core/admin/users.js';
import { ApiError } from '../../src/core/errors.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { ACME, clients, GLOBEX, users } from '../helpers/fixture.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const deps = () => t.app.tokend;
const userCount = async () => (await t.app.tokend.store.listUsers()).length;

/** Asserts `act` is refused with this status, code and field (when given), and changed no user. */
async function refused(act: () => Promise<unknown>, status: number, code: string, field: string | undefined, message: RegExp): Promise<void> {
  const before = await userCount();
  await assert.rejects(act, (error: unknown) => {
    assert.ok(error instanceof ApiError, String(error));
    assert.deepEqual([error.status, error.code, error.options.details?.[0]?.fieldName], [status, code, field]);
    assert.match(error.message, message);
    return true;
  });
  assert.equal(await userCount(), before, 'nothing written');
}

test('createUser: an active user with the roles given, the password only hashed; the password grant signs them in', async () => {
  const [tokenAdmin] = (await t.app.tokend.store.listRoles(ACME)).filter((role) => role.name === 'Token admin');
  const { user, organization, roles } = await createUser(deps(), {
    organizationId: ACME,
    name: 'Erin',
    email: 'erin@acme.test',
    password: 'erin-password',
    roleIds: [tokenAdmin?.id as string],
  });
  assert.deepEqual([user.state, organization.name, roles.map((role) => role.name), user.dateCreated], ['active', 'Acme', ['Token admin'], t.clock.now()]);
  assert.match(user.passwordHash ?? '', /^scrypt\$/);
  assert.ok(!user.passwordHash?.includes('erin-password'));
  const token = await t.token(clients.passwordApp, { email: 'erin@acme.test', password: 'erin-password' });
  assert.equal((await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 200);
});

test('createUser refuses, writing nothing: empty name or password, a non-email, an unknown organization, a role of another organization, a taken email', async () => {
  const globexRole = (await t.app.tokend.store.listRoles(GLOBEX))[0]?.id as string;
  const valid = { organizationId: ACME, name: 'Fay', email: 'fay@acme.test', password: 'fay-password' };
  await refused(() => createUser(deps(), { ...valid, name: ' ' }), 400, 'invalid.value', 'name', /^the name must not be empty$/);
  await refused(() => createUser(deps(), { ...valid, email: 'fay' }), 400, 'invalid.value', 'email', /^fay is not an email address$/);
  await refused(() => createUser(deps(), { ...valid, email: 'fay @acme.test' }), 400, 'invalid.value', 'email', /is not an email address/);
  await refused(() => createUser(deps(), { ...valid, password: '' }), 400, 'invalid.value', 'password', /^the password must not be empty$/);
  await refused(
    () => createUser(deps(), { ...valid, organizationId: 'no-such-org' }),
    404,
    'not.found',
    undefined,
    /^no organization with the id no-such-org$/,
  );
  await refused(
    () => createUser(deps(), { ...valid, roleIds: [globexRole] }),
    400,
    'invalid.value',
    'roles',
    new RegExp(`^no role ${globexRole} in organization Acme$`),
  );
  await refused(
    () => createUser(deps(), { ...valid, roleIds: ['no-such-role'] }),
    400,
    'invalid.value',
    'roles',
    /^no role no-such-role in organization Acme$/,
  );
  // 409, as Genesys answers a taken email (Terraform then finds the person and restores a deleted one).
  await refused(
    () => createUser(deps(), { ...valid, email: 'ALICE@acme.test' }),
    409,
    'general.conflict',
    'email',
    /^a user with the email ALICE@acme\.test already exists in Acme$/,
  );
  // The same email in another organization is another user.
  await createUser(deps(), { ...valid, organizationId: GLOBEX, email: 'alice@acme.test' });
});

test('setUserState: a disable ends the tokens the server holds at once, an enable brings none back; an unknown id is 404', async () => {
  const token = await t.token(clients.passwordApp, users.bob);
  assert.equal((await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 200, 'cached by the server now');
  assert.deepEqual(await setUserState(deps(), users.bob.id, 'inactive'), { endedSessions: 0, revokedTokens: 1 });
  assert.equal((await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 401);
  assert.deepEqual(await setUserState(deps(), users.bob.id, 'active'), { endedSessions: 0, revokedTokens: 0 });
  assert.equal((await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 401, 'revoked stays revoked');
  await refused(() => setUserState(deps(), 'no-such-user', 'inactive'), 404, 'not.found', undefined, /^no user with the id no-such-user$/);
});

test('resetPassword and endUserAccess: the old password stops, tokens end only with endUserAccess; unknown ids and empty passwords are refused', async () => {
  const token = await t.token(clients.passwordApp, users.carol);
  assert.deepEqual(await resetPassword(deps(), users.carol.id, 'carol-second-password'), { endedSessions: 0 });
  await assert.rejects(t.token(clients.passwordApp, users.carol), /400|401/);
  assert.equal((await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 200, 'tokens stay valid');
  assert.deepEqual(await endUserAccess(deps(), users.carol.id), { endedSessions: 0, revokedTokens: 1 });
  assert.equal((await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 401);
  await refused(() => resetPassword(deps(), users.carol.id, ''), 400, 'invalid.value', 'password', /^the password must not be empty$/);
  await refused(() => resetPassword(deps(), 'no-such-user', 'x'), 404, 'not.found', undefined, /^no user with the id no-such-user$/);
  await refused(() => endUserAccess(deps(), 'no-such-user'), 404, 'not.found', undefined, /^no user with the id no-such-user$/);
});
