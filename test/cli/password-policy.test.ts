/**
 * The password policy (CONTRACT.md, "The directory and authorization planes"): set through the
 * API (PATCH /api/v2/organizations/authentication/settings), then enforced on every password
 * set by the command line (`users set-password`, `users create`) and by a seed, each refusal
 * naming the rule and changing nothing. A seed applied again with passwords it set before is not
 * judged again: raising the policy never stops a server from starting with its seed.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertErrorBody } from '../helpers/api-error.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { GROUPS_SEED, groupClients, people, VANDELAY } from '../helpers/groups-fixture.js';
import { cliHome } from './helpers.js';

const cli = cliHome();
let t: TestApp;
before(async () => {
  t = await startTestApp({ seedFile: GROUPS_SEED });
});
after(async () => {
  await t.close();
  cli.dispose();
});

const admin = (args: string[], input?: string) => cli.run(args, { env: { TOKEND_DATABASE: t.database }, ...(input === undefined ? {} : { input }) });

async function patch(body: unknown) {
  return t.inject({
    method: 'PATCH',
    url: '/api/v2/organizations/authentication/settings',
    headers: { ...bearer(await t.token(groupClients.admin)), 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

/** Whether the password grant takes this password for this person. */
const signsIn = (person: { email: string }, password: string) =>
  t.token(groupClients.app, { email: person.email, password }).then(
    () => true,
    () => false,
  );

test('the API sets the policy; its refusals name the field, and a refused PATCH changes nothing', async () => {
  assertErrorBody(await patch({ passwordRequirements: { minimumLength: 0 } }), {
    status: 400,
    code: 'invalid.value',
    message: 'passwordRequirements.minimumLength must be >= 1',
    details: [{ errorCode: 'invalid.value', fieldName: 'passwordRequirements.minimumLength' }],
  });
  assertErrorBody(await patch({ passwordRequirements: { minimumLength: 8, maximumLength: 9 } }), {
    status: 400,
    code: 'invalid.property',
    message: 'Unrecognized property: passwordRequirements.maximumLength',
    details: [{ errorCode: 'invalid.property', fieldName: 'passwordRequirements.maximumLength' }],
  });
  const set = await patch({ passwordRequirements: { minimumLength: 12, minimumDigits: 1 } });
  assert.equal(set.statusCode, 200, set.body);
  assert.deepEqual(set.json().passwordRequirements, {
    minimumLength: 12,
    minimumDigits: 1,
    minimumLetters: 0,
    minimumUpper: 0,
    minimumLower: 0,
    minimumSpecials: 0,
    minimumAgeSeconds: 0,
    expirationDays: 0,
  });
});

test('tokend users set-password and users create: a password the policy refuses is refused naming the rule, and nothing changes', async () => {
  const short = await admin(['users', 'set-password', people.nick.id, '--password-stdin'], 'short-1\n');
  assert.deepEqual(short, {
    code: 1,
    stdout: '',
    stderr: 'tokend: The password must have at least 12 characters (passwordRequirements.minimumLength).\n',
  });
  const noDigit = await admin(['users', 'set-password', people.nick.id, '--password-stdin'], 'long-enough-but-no-digit\n');
  assert.deepEqual(noDigit.stderr, 'tokend: The password must have at least 1 digit (passwordRequirements.minimumDigits).\n');
  assert.equal(await signsIn(people.nick, people.nick.password), true, 'the old password still works');

  const created = await admin(
    ['users', 'create', '--org', 'Vandelay', '--name', 'Paula Short', '--email', 'paula@vandelay.test', '--password-stdin'],
    'paula-pw\n',
  );
  assert.deepEqual(created, { code: 1, stdout: '', stderr: 'tokend: The password must have at least 12 characters (passwordRequirements.minimumLength).\n' });
  assert.equal((await t.app.tokend.store.findUserByEmail(VANDELAY, 'paula@vandelay.test')) ?? null, null);

  const good = await admin(['users', 'set-password', people.nick.id, '--password-stdin'], 'nick-password-2026\n');
  assert.equal(good.code, 0, good.stderr);
  assert.equal(await signsIn(people.nick, 'nick-password-2026'), true);
});

test('a seed: each password it writes is judged (the path and the rule named, nothing applied); passwords it set before are not judged again', async () => {
  const seed = JSON.parse(readFileSync(GROUPS_SEED, 'utf8'));
  const vandelay = seed.organizations[0];
  const file = join(cli.home, 'seed.json');

  // The fixture's passwords have no digit: the policy now refuses them, but the seed set them before.
  writeFileSync(file, JSON.stringify(seed));
  const again = await admin(['seed', file]);
  assert.equal(again.code, 0, again.stderr);

  vandelay.users.push({ name: 'Paula Short', email: 'paula@vandelay.test', password: 'paula-pw' });
  writeFileSync(file, JSON.stringify(seed));
  const refused = await admin(['seed', file]);
  assert.deepEqual(refused, {
    code: 1,
    stdout: '',
    stderr:
      'tokend: seed refused, nothing was changed: organizations[0].users[6].password: The password must have at least 12 characters (passwordRequirements.minimumLength).\n',
  });
  assert.equal((await t.app.tokend.store.findUserByEmail(VANDELAY, 'paula@vandelay.test')) ?? null, null);

  // A password the file changes is a password set: judged too.
  vandelay.users.pop();
  vandelay.users[5].password = 'zoe-new-password';
  writeFileSync(file, JSON.stringify(seed));
  assert.match(
    (await admin(['seed', file])).stderr,
    /organizations\[0\]\.users\[5\]\.password: The password must have at least 1 digit \(passwordRequirements\.minimumDigits\)/,
  );
  assert.equal(await signsIn(people.zoe, people.zoe.password), true);

  vandelay.users[5].password = 'zoe-new-password-1';
  writeFileSync(file, JSON.stringify(seed));
  assert.equal((await admin(['seed', file])).code, 0);
  assert.equal(await signsIn(people.zoe, 'zoe-new-password-1'), true);
});
