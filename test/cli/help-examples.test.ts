/**
 * The examples of `--help`, of docs/cli.md and of the README's command line section work when pasted against
 * `npm start`'s demo store (issue 14): each is taken out of the help text as printed, run by a
 * shell in a folder laid out as a checkout (`./data/tokend.db` seeded with seed/demo.json,
 * `./seed/demo.json`), with `tokend` on the PATH and a demo tokend listening. Only the address
 * is swapped: the examples say http://localhost:8080, the test server listens elsewhere.
 * Read-only examples run first, then the ones that write, in an order where each still works.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Command, Group } from '../../src/cli/args.js';
import { ROOT } from '../../src/cli/commands.js';
import { DEMO_SEED } from '../../src/cli/demo.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { cliHome, MAIN, outputOf, type Run } from './helpers.js';

const POSTGRES = process.env.TOKEND_TEST_DATABASE === 'postgres';
const README = fileURLToPath(new URL('../../../README.md', import.meta.url));
const CLI_DOC = fileURLToPath(new URL('../../../docs/cli.md', import.meta.url));
const demo = JSON.parse(readFileSync(DEMO_SEED, 'utf8')) as {
  organizations: Array<{ id: string; name: string; roles: Array<{ name: string }>; users: Array<{ id: string }>; clients: Array<{ id: string }> }>;
};
const DEMO_IDS = new Set(demo.organizations.flatMap((o) => [o.id, ...o.users.map((u) => u.id), ...o.clients.map((c) => c.id)]));
const DEMO_ORGS = new Set(demo.organizations.flatMap((o) => [o.id, o.name]));
const DEMO_ROLES = new Set(demo.organizations.flatMap((o) => o.roles.map((r) => r.name)));

const cli = cliHome();
let t: TestApp;
let url: string;
let checkout: string;
before(async () => {
  checkout = mkdtempSync(join(tmpdir(), 'tokend-checkout-'));
  mkdirSync(join(checkout, 'seed'));
  copyFileSync(DEMO_SEED, join(checkout, 'seed', 'demo.json'));
  mkdirSync(join(checkout, 'bin'));
  writeFileSync(join(checkout, 'bin', 'tokend'), `#!/bin/sh\nexec "${process.execPath}" "${MAIN}" "$@"\n`);
  chmodSync(join(checkout, 'bin', 'tokend'), 0o755);
  // On SQLite the store is ./data/tokend.db, the default: the examples find it as pasted.
  // Test controls on: the `tokend test ...` examples talk to them.
  t = await startTestApp({ dir: join(checkout, 'data'), seedFile: DEMO_SEED, testControls: true });
  url = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
after(async () => {
  await t.close();
  cli.dispose();
  rmSync(checkout, { recursive: true, force: true });
});

/** Every example of the tree, as `--help` prints it, once each. */
function helpExamples(node: Group | Command = ROOT): string[] {
  const own = [node.example];
  return [...new Set(node.kind === 'command' ? own : [...own, ...node.children.flatMap((child) => helpExamples(child))])];
}

/** The example as the help of its node prints it (what a person copies). */
async function printedExamples(): Promise<string[]> {
  const printed: string[] = [];
  const walk = async (node: Group | Command, path: string[]) => {
    const help = await cli.run([...path, '--help']);
    printed.push(/\nExample:\n {2}(.*)\n/.exec(help.stdout)?.[1] ?? `no example in ${path.join(' ')}`);
    if (node.kind === 'group') for (const child of node.children) await walk(child, [...path, child.name]);
  };
  await walk(ROOT, []);
  return [...new Set(printed)];
}

/** The command words of an example: `tokend users list --org Demo` → ['users', 'list']. */
function commandOf(example: string): string[] {
  const words = example.slice(example.indexOf('tokend ') + 'tokend '.length).split(/\s+/);
  const end = words.findIndex((word) => word.startsWith('-') || word.includes('"') || /^[0-9a-f]{8}-/.test(word) || word.includes('/') || word === '&&');
  return end === -1 ? words : words.slice(0, end);
}

const readOnly = (example: string) => {
  const command = commandOf(example);
  return ['list', 'get', 'head'].includes(command.at(-1) ?? '') || example.includes('--version');
};

/** Writes, ordered so that each still works: the profile goes first and last, the login it holds is revoked late. */
function writeOrder(example: string): number {
  const command = commandOf(example).join(' ');
  if (command.startsWith('profile add')) return 0;
  // Deletes go after every example that still names what they delete.
  if (/^(clients|roles|groups|users|divisions|idp) delete/.test(command)) return 7;
  if (command.startsWith('tokens me delete')) return 8;
  if (command.startsWith('profile remove')) return 9;
  // Ends the demo's tokens and sessions: last.
  if (command.startsWith('tokens revoke-all')) return 10;
  // A moved clock and a fault would change what every example after them sees: after them all.
  if (command.startsWith('test ')) return 11;
  return 5;
}

function sh(script: string): Promise<Run> {
  const child = spawn('/bin/sh', ['-c', script.replaceAll('http://localhost:8080', url)], {
    cwd: checkout,
    env: {
      PATH: `${join(checkout, 'bin')}:${process.env.PATH ?? ''}`,
      HOME: cli.home,
      PASSWORD: 'a-password-for-ada',
      NEW_PASSWORD: 'a-new-password-for-sam',
      ...(POSTGRES ? { TOKEND_DATABASE: t.database } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return outputOf(child);
}

/** A value's name in a usage line, such as `ID|NAME` or `R]...`: not a value to check. */
const PLACEHOLDER = /^[A-Z|\\[\].`]+$/;

/** Ids, `--org` and `--role` values that are not the demo seed's. */
function foreignNames(text: string): string[] {
  const ids = [...text.matchAll(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g)].map((m) => m[0]).filter((id) => !DEMO_IDS.has(id));
  const flag = (name: string, known: Set<string>) =>
    [...text.matchAll(new RegExp(`--${name}[ =](?:"([^"]+)"|(\\S+))`, 'g'))]
      .map((m) => m[1] ?? m[2] ?? '')
      .filter((value) => !known.has(value) && !value.startsWith('$') && !PLACEHOLDER.test(value));
  return [...ids, ...flag('org', DEMO_ORGS), ...flag('role', DEMO_ROLES)];
}

/**
 * The command line's documentation: docs/cli.md whole and the README's command line section; their
 * text, and the `tokend ...` lines (with or without a `$ ` prompt) of their shell blocks.
 */
function readmeSection(): { text: string; commands: string[] } {
  const readme = readFileSync(README, 'utf8');
  const start = readme.indexOf('\n## Command line\n');
  const section = start === -1 ? '' : readme.slice(start, readme.indexOf('\n## ', start + 1));
  const text = `${readFileSync(CLI_DOC, 'utf8')}\n${section}`;
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const lines = blocks.flatMap((block) => block.split('\n')).map((line) => line.replace(/^\$ /, ''));
  // A line that starts the command, or pipes a secret into it (`printf %s ... | tokend ...`).
  const command = (line: string) => line.startsWith('tokend ') || /^printf %s \S+ \| tokend /.test(line);
  return { text, commands: lines.filter(command).map((line) => line.replace(/\s+#.*$/, '')) };
}

test("the help prints every example of the tree, and each names only the demo seed's ids, organizations and roles", async () => {
  const printed = await printedExamples();
  assert.deepEqual([...printed].sort(), helpExamples().sort());
  for (const example of printed) assert.deepEqual(foreignNames(example), [], example);
});

test('no example of the help, docs/cli.md or the README gives a secret as a flag', () => {
  const { commands } = readmeSection();
  const examples = [...helpExamples(), ...commands];
  assert.ok(examples.some((example) => example.includes('--client-secret-stdin')));
  for (const example of examples) assert.doesNotMatch(example, /--(client-?secret|access-?token|password|accesstoken|clientsecret)[ =]/, example);
});

test("docs/cli.md and the README's command line section name only the demo seed's ids, organizations and roles", () => {
  const { text, commands } = readmeSection();
  assert.ok(commands.length >= 8, `shell examples found: ${commands.length}`);
  assert.deepEqual(foreignNames(text), []);
});

test('every read-only example of the help, docs/cli.md and the README runs against the demo store: exit 0, output, nothing on stderr', async () => {
  const profile = helpExamples().find((example) => commandOf(example).join(' ').startsWith('profile add')) as string;
  const added = await sh(profile);
  assert.equal(added.code, 0, `${profile}\n${added.stderr}`);
  const examples = [...new Set([...helpExamples(), ...readmeSection().commands, 'tokend --version'])].filter(readOnly);
  assert.ok(examples.length >= 15, `read-only examples: ${examples.length}`);
  for (const example of examples) {
    const run = await sh(example);
    assert.deepEqual([run.code, run.stderr], [0, ''], example);
    assert.notEqual(run.stdout, '', example);
  }
});

test('every other example of the help runs too (but serve, which runs until stopped), in an order where each still works', async () => {
  const writes = helpExamples()
    .filter((example) => !readOnly(example) && !example.startsWith('tokend serve'))
    // On PostgreSQL the store is TOKEND_DATABASE: an example naming the SQLite file is for SQLite.
    .filter((example) => !(POSTGRES && example.includes('./data/tokend.db')))
    .sort((a, b) => writeOrder(a) - writeOrder(b));
  assert.ok(writes.length >= (POSTGRES ? 14 : 16), `examples that write: ${writes.length}`);
  for (const example of writes) {
    const run = await sh(example);
    assert.equal(run.code, 0, `${example}\n${run.stderr}`);
  }
});
