/**
 * The command line's audit lines (core/audit.ts; issue 23 §1): a command that changes the store
 * writes one structured line on stderr, in the server log's shape, naming the operator, the
 * command, what it named and how it ended; never a secret; a read writes none.
 */
import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { after, before, test } from 'node:test';
import { users } from '../helpers/fixture.js';
import { cliHome, listeningTokend } from './helpers.js';

let t: Awaited<ReturnType<typeof listeningTokend>>;
const cli = cliHome();
let admin: (args: string[], input?: string) => ReturnType<typeof cli.run>;
before(async () => {
  t = await listeningTokend();
  admin = (args, input) => cli.run(args, { env: { TOKEND_DATABASE: t.database }, ...(input === undefined ? {} : { input }) });
});
after(async () => {
  await t.close();
  cli.dispose();
});

const operator = { kind: 'operator', name: userInfo().username };

test('users create, set-password and disable: one audit line each, naming what they acted on and never the password', async () => {
  const password = 'audited-password-1234';
  const created = await admin(
    ['users', 'create', '--org', 'Acme', '--name', 'Audit Person', '--email', 'audit@acme.test', '--password-stdin', '--role', 'Nothing'],
    password,
  );
  assert.equal(created.code, 0, created.stderr);
  assert.deepEqual(created.audit, [
    {
      action: 'tokend users create',
      actor: operator,
      target: { org: 'Acme', name: 'Audit Person', email: 'audit@acme.test', role: 'Nothing' },
      result: 'succeeded',
      status: 0,
    },
  ]);
  const reset = await admin(['users', 'set-password', users.bob.id, '--password-stdin'], `${password}-2`);
  assert.equal(reset.code, 0, reset.stderr);
  assert.deepEqual(reset.audit, [
    { action: 'tokend users set-password', actor: operator, target: { 'userId|email': users.bob.id }, result: 'succeeded', status: 0 },
  ]);
  const disabled = await admin(['users', 'disable', users.carol.id]);
  assert.deepEqual(disabled.audit, [
    { action: 'tokend users disable', actor: operator, target: { 'userId|email': users.carol.id }, result: 'succeeded', status: 0 },
  ]);
  for (const run of [created, reset, disabled]) assert.ok(!`${run.stdout}${run.stderr}${JSON.stringify(run.audit)}`.includes(password));
});

test('a refusal is written after its error line, as refused; a usage mistake and a read write none', async () => {
  const unknown = '00000000-0000-4000-8000-0000000000aa';
  const refused = await admin(['users', 'disable', unknown]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^tokend: .+\n$/);
  assert.deepEqual(refused.audit, [{ action: 'tokend users disable', actor: operator, target: { 'userId|email': unknown }, result: 'refused', status: 1 }]);
  const mistyped = await admin(['users', 'create', '--org', 'Acme', '--name', 'No email']);
  assert.equal(mistyped.code, 1);
  assert.deepEqual(mistyped.audit, []);
  const listed = await admin(['users', 'list', '--org', 'Acme']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(listed.audit, []);
});

test('clients create and rotate-secret: the secret printed once is nowhere in the audit line', async () => {
  const created = await admin(['clients', 'create', '--org', 'Acme', '--name', 'Audited service', '--grant-type', 'CLIENT-CREDENTIALS']);
  assert.equal(created.code, 0, created.stderr);
  const { id, secret } = JSON.parse(created.stdout) as { id: string; secret: string };
  assert.deepEqual(created.audit, [
    {
      action: 'tokend clients create',
      actor: operator,
      target: { org: 'Acme', name: 'Audited service', 'grant-type': 'CLIENT-CREDENTIALS' },
      result: 'succeeded',
      status: 0,
    },
  ]);
  const rotated = await admin(['clients', 'rotate-secret', id, '--yes']);
  assert.equal(rotated.code, 0, rotated.stderr);
  const { secret: newSecret } = JSON.parse(rotated.stdout) as { secret: string };
  assert.deepEqual(rotated.audit, [
    { action: 'tokend clients rotate-secret', actor: operator, target: { 'clientId|name': id }, result: 'succeeded', status: 0 },
  ]);
  for (const value of [secret, newSecret]) assert.ok(!JSON.stringify([...created.audit, ...rotated.audit]).includes(value));
});
