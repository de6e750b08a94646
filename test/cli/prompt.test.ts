/**
 * Passwords asked at a terminal: the CLI under a real pseudo-terminal (util-linux `script`),
 * answering each prompt only once it is shown, as a person would.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { test } from 'node:test';
import { clients, users } from '../helpers/fixture.js';
import { rawRows } from '../helpers/raw-sql.js';
import { type ListeningTokend, MAIN, useListeningTokend } from './helpers.js';

const SCRIPT = '/usr/bin/script';
let t: ListeningTokend;
const cli = useListeningTokend((started) => (t = started));

/** A prompt: a line of words ending in ": " (the terminal echoes nothing typed after it). */
const ASKED = /(?:^|\n)[A-Za-z ]+: (?=\n|$)/g;

/** Runs the CLI on a terminal; answers[i] is typed once the i-th prompt (`prompt`) shows. */
function atTerminal(args: string[], answers: string[], prompt: RegExp = ASKED): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, MAIN, ...args].map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(' ');
  const child = spawn(SCRIPT, ['-qec', command, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', HOME: cli.home, TOKEND_DATABASE: t.database },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let answered = 0;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    const shown = output.replaceAll('\r', '').match(prompt)?.length ?? 0;
    while (answered < answers.length && answered < shown) child.stdin.write(`${answers[answered++]}\r`);
  });
  // Whatever happens, the terminal ends: a prompt never shown must not hang the suite.
  const timer = setTimeout(() => child.kill(), 20_000);
  child.on('close', () => clearTimeout(timer));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output: output.replaceAll('\r', '') })));
}

test('users set-password asks twice without echo; the new password signs in', { skip: !existsSync(SCRIPT) && 'no util-linux script here' }, async () => {
  const password = 'typed-at-the-terminal';
  const run = await atTerminal(['users', 'set-password', users.gina.id], [password, password]);
  assert.equal(run.code, 0, run.output);
  // The audit line the change writes on stderr comes last (test/cli/audit.test.ts has the shape).
  const audit = run.output.split('\n').at(-2) as string;
  assert.equal(
    run.output.slice(0, -(audit.length + 1)),
    `Password: \nRepeat password: \n{\n  "id": "${users.gina.id}",\n  "passwordChanged": true,\n  "endedSessions": 0\n}\n` +
      `Set the password of user ${users.gina.id}: ended 0 sign-in sessions; their tokens stay valid (tokend tokens revoke-user ends them).\n`,
  );
  assert.deepEqual(JSON.parse(audit).audit, {
    action: 'tokend users set-password',
    actor: { kind: 'operator', name: userInfo().username },
    target: { 'userId|email': users.gina.id },
    result: 'succeeded',
    status: 0,
  });
  assert.ok(!run.output.includes(password), 'what was typed is not echoed');
  assert.ok(await t.token(clients.globexPassword, { email: users.gina.email, password }));
  const differ = await atTerminal(['users', 'set-password', users.gina.id], ['one', 'two']);
  assert.equal(differ.code, 1);
  assert.match(differ.output, /tokend: the two passwords differ; nothing was changed\n\{"level":30,.*"result":"refused","status":1\}\}\n$/);
});

test('profile add asks for the client secret at a terminal when no flag gives it', { skip: !existsSync(SCRIPT) && 'no util-linux script here' }, async () => {
  const run = await atTerminal(['profile', 'add', 'asked', '--url', t.url, '--client-id', clients.admin.id], [clients.admin.secret, clients.admin.secret]);
  assert.equal(run.code, 0, run.output);
  assert.ok(!run.output.includes(clients.admin.secret));
  assert.match(run.output, /^Client secret: \nRepeat client secret: \n\{/);
});

const storedHash = async (id: string) =>
  (await rawRows<{ secret_hash: string }>(t.database, 'SELECT secret_hash FROM clients WHERE id = ?', [id]))[0]?.secret_hash;

test('clients rotate-secret asks at a terminal: n changes nothing, y rotates; without a terminal it needs --yes', {
  skip: !existsSync(SCRIPT) && 'no util-linux script here',
}, async () => {
  const before = await storedHash(clients.plain.id);
  const question = `Replace the secret of client "Plain service" (${clients.plain.id})? The old secret stops working at once. [y/N] `;
  const declined = await atTerminal(['clients', 'rotate-secret', 'Plain service'], ['n'], /\[y\/N\] $/);
  assert.equal(declined.code, 1, declined.output);
  assert.ok(declined.output.startsWith(`${question}n\ntokend: not confirmed; nothing was changed\n`), declined.output);
  assert.equal(await storedHash(clients.plain.id), before);

  const piped = await cli.run(['clients', 'rotate-secret', clients.plain.id], { env: { TOKEND_DATABASE: t.database } });
  assert.deepEqual(
    [piped.code, piped.stdout, piped.stderr],
    [
      1,
      '',
      `tokend: rotate-secret replaces the secret of client "Plain service" (${clients.plain.id}), and the old one stops working at once: add --yes to go ahead (no terminal to ask on)\n`,
    ],
  );
  assert.equal(await storedHash(clients.plain.id), before);

  const confirmed = await atTerminal(['clients', 'rotate-secret', 'Plain service'], ['y'], /\[y\/N\] $/);
  assert.equal(confirmed.code, 0, confirmed.output);
  assert.match(confirmed.output, new RegExp(`^${question.replace(/[[\]()?.]/g, '\\$&')}y\n\\{\n  "id": "${clients.plain.id}",\n  "secret": "[^"]+"\n\\}\n`));
  assert.notEqual(await storedHash(clients.plain.id), before);
});
