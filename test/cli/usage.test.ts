/** `--help` on every level of the tree, and the one-line error plus usage for every kind of mistake. */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Command, Group } from '../../src/cli/args.js';
import { ROOT } from '../../src/cli/commands.js';
import { cliHome } from './helpers.js';

const cli = cliHome();
after(() => cli.dispose());

/** Runs `check` on every item, a few subprocesses at a time (the machines have two cores). */
async function eachLimited<T>(items: T[], check: (item: T) => Promise<void>, limit = 4): Promise<void> {
  for (let i = 0; i < items.length; i += limit) await Promise.all(items.slice(i, i + limit).map(check));
}

/** Every path of the tree, groups and commands, e.g. ['tokens', 'me', 'get']. */
function paths(node: Group | Command, prefix: string[] = []): Array<{ path: string[]; node: Group | Command }> {
  const here = { path: prefix, node };
  return node.kind === 'command' ? [here] : [here, ...node.children.flatMap((child) => paths(child, [...prefix, child.name]))];
}

test('--help on every level prints its usage and an example on stdout, exit 0', async () => {
  const all = paths(ROOT);
  assert.ok(all.length >= 29, `the whole tree (${all.length} levels)`);
  await eachLimited(all, async ({ path, node }) => {
    const run = await cli.run([...path, '--help']);
    const name = ['tokend', ...path].join(' ');
    assert.equal(run.code, 0, name);
    assert.equal(run.stderr, '', name);
    assert.ok(run.stdout.startsWith(`Usage: ${name}`), `${name}: ${run.stdout.slice(0, 80)}`);
    assert.match(run.stdout, /\nExample:\n {2}(?:\S.*[\s|])?tokend /, name);
    if (node.kind === 'group') for (const child of node.children) assert.ok(run.stdout.includes(`  ${child.name}`), `${name} lists ${child.name}`);
    else assert.match(run.stdout, /-h, --help/, name);
  });
});

test("-h and help work too; a command's --help wins over its other arguments", async () => {
  assert.match((await cli.run(['-h'])).stdout, /^Usage: tokend <command>/);
  assert.match((await cli.run(['clients', 'help'])).stdout, /^Usage: tokend clients <command>/);
  const run = await cli.run(['clients', 'create', '--bogus', '-h']);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^Usage: tokend clients create \[options\]\n/);
  assert.match(run.stdout, /--grant-type TYPE +CODE, TOKEN, SAML2-BEARER, PASSWORD,\n {38}CLIENT-CREDENTIALS \(required\)\n/);
  assert.match(run.stdout, /Example:\n {2}tokend clients create --org Demo/);
});

test('no command, an unknown command at any level, an option before the command: one line, the usage; exit 2 and a pointer to --help for an unknown name', async () => {
  // Issue 14 made an unknown command exit 2 and name the nearest commands ("did you mean").
  const cases: Array<[string[], string, string, number]> = [
    [[], "tokend: missing command after 'tokend'", 'Usage: tokend <command>', 1],
    [['bogus'], 'tokend: unknown command: bogus', 'Usage: tokend <command>', 2],
    [['tokens'], "tokend: missing command after 'tokend tokens'", 'Usage: tokend tokens <command>', 1],
    [['tokens', 'me', 'put'], 'tokend: unknown command: tokens me put', 'Usage: tokend tokens me <command>', 2],
    [
      ['tokens', 'timeout', 'set'],
      "tokend: unknown command: tokens timeout set - did you mean 'tokens timeout get'?",
      'Usage: tokend tokens timeout <command>',
      2,
    ],
    [['profile', 'delete'], 'tokend: unknown command: profile delete', 'Usage: tokend profile <command>', 2],
    [['users', 'purge'], 'tokend: unknown command: users purge', 'Usage: tokend users <command>', 2],
    [['--profile', 'x', 'tokens'], 'tokend: options go after the command: tokend <command> --profile', 'Usage: tokend <command>', 1],
  ];
  await eachLimited(cases, async ([args, line, usage, code]) => {
    const run = await cli.run(args);
    assert.equal(run.code, code, args.join(' '));
    assert.equal(run.stdout, '', args.join(' '));
    const [first, second, third] = run.stderr.split('\n');
    assert.equal(first, line);
    // An unknown name (most often a typo) points to --help instead of burying its line under the usage.
    if (code === 2) assert.deepEqual([second, third], [`Run '${usage.replace(/^Usage: (.*) <command>$/, '$1')} --help' for the usage.`, '']);
    else {
      assert.equal(second, '');
      assert.ok(third?.startsWith(usage), `${args.join(' ')}: ${third}`);
    }
  });
});

test("bad flags and arguments: one line naming the mistake, then that command's usage, exit 1 (2 for an unknown option)", async () => {
  const cases: Array<[string[], RegExp, string]> = [
    [['tokens', 'me', 'get', '--bogus'], /^tokend: Unknown option '--bogus'$/, 'tokend tokens me get'],
    [['tokens', 'me', 'get', '--url'], /^tokend: --url needs a value$/, 'tokend tokens me get'],
    [['tokens', 'me', 'get', '--url', '--client-id', 'x'], /^tokend: --url needs a value$/, 'tokend tokens me get'],
    [['tokens', 'me', 'head', 'extra'], /^tokend: unexpected argument: extra$/, 'tokend tokens me head'],
    [['tokens', 'delete', 'a', 'b'], /^tokend: unexpected argument: b$/, 'tokend tokens delete <userId|email>'],
    [['tokens', 'me', 'get', '--url', 'http://x', '--region', 'mypurecloud.ie'], /^tokend: give --url or --region, not both$/, 'tokend tokens me get'],
    [['profile', 'use'], /^tokend: missing <name>$/, 'tokend profile use <name>'],
    [['clients', 'disable'], /^tokend: missing <clientId\|name>$/, 'tokend clients disable <clientId|name>'],
    [['users', 'create', '--org', 'Acme', '--name', 'x'], /^tokend: --email is required$/, 'tokend users create'],
    [
      ['users', 'set-password', 'u', '--password', 'a', '--password-stdin'],
      /^tokend: give --password or --password-stdin, not both$/,
      'tokend users set-password <userId|email>',
    ],
  ];
  await eachLimited(cases, async ([args, line, usage]) => {
    const run = await cli.run(args, { env: { TOKEND_DATABASE: '/nonexistent/tokend.db' } });
    const lines = run.stderr.split('\n');
    // A secret given as a flag was on the command line whatever else is wrong: its warning comes first.
    if (args.includes('--password')) assert.match(lines.shift() ?? '', /^tokend: warning: --password puts a secret on the command line/);
    const [first, blank, usageLine] = lines;
    assert.equal(run.code, args.includes('--bogus') ? 2 : 1, args.join(' '));
    assert.equal(run.stdout, '');
    assert.match(first ?? '', line);
    if (args.includes('--bogus')) {
      assert.equal(blank, `Run '${usage} --help' for the usage.`);
      return;
    }
    assert.equal(blank, '');
    assert.equal(usageLine, `Usage: ${usage} [options]`);
  });
});

test('a value that begins with - (base64url tokens and secrets may) is taken as the value, not as an option', async () => {
  const run = await cli.run(['tokens', 'me', 'head', '--url', 'http://127.0.0.1:59999', '--access-token', '-abc_def']);
  assert.equal(run.code, 1);
  // The token was taken as --access-token's value: its warning, then the call it was sent with.
  assert.match(run.stderr, /^tokend: warning: --access-token .*\ntokend: HEAD http:\/\/127\.0\.0\.1:59999\/api\/v2\/tokens\/me failed: .*ECONNREFUSED/);
  const missing = await cli.run(['tokens', 'me', 'head', '--url', '--access-token', 'x']);
  assert.match(missing.stderr, /^tokend: --url needs a value\n/, 'a known option is still an option');
});

test('a --database URL holding a password warns, naming TOKEND_DATABASE; one without a password, or a file, does not', async () => {
  const warning =
    'tokend: warning: --database puts a secret on the command line, where other local users see it (ps) and the shell history keeps it; use TOKEND_DATABASE\n';
  for (const url of ['postgres://tokend:hunter2-secret@127.0.0.1:1/tokend', 'postgresql://127.0.0.1:1/tokend?user=tokend&password=hunter2-secret']) {
    const run = await cli.run(['users', 'list', '--database', url]);
    assert.equal(run.code, 1, url);
    assert.ok(run.stderr.startsWith(warning), run.stderr);
    assert.ok(!run.stderr.includes('hunter2-secret'), run.stderr);
  }
  for (const database of ['postgres://tokend@127.0.0.1:1/tokend', '/nonexistent/tokend.db']) {
    const run = await cli.run(['users', 'list', '--database', database]);
    assert.equal(run.code, 1, database);
    assert.doesNotMatch(run.stderr, /warning/, database);
  }
});
