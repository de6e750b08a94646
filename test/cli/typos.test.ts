/** `tokend --version`, and "did you mean" for a mistyped command or option (exit 2, on stderr). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { closest, editDistance } from '../../src/did-you-mean.js';
import { cliHome } from './helpers.js';

const cli = cliHome();
after(() => cli.dispose());

test('--version prints the version of package.json, alone, exit 0; the root help says so', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  const run = await cli.run(['--version']);
  assert.deepEqual([run.code, run.stdout, run.stderr], [0, `${version}\n`, '']);
  assert.match((await cli.run(['--help'])).stdout, /'tokend --version' for\s+its version/);
});

test('a mistyped command names the nearest commands, exit 2, stdout empty, then where the usage is (not the usage)', async () => {
  const cases: Array<[string[], string, string]> = [
    [['user', 'list'], "tokend: unknown command: user - did you mean 'users'?", 'tokend'],
    [['users', 'lst'], "tokend: unknown command: users lst - did you mean 'users list'?", 'tokend users'],
    [['clinets', 'list'], "tokend: unknown command: clinets - did you mean 'clients'?", 'tokend'],
    [['org', 'list'], "tokend: unknown command: org - did you mean 'orgs'?", 'tokend'],
    [['tok'], "tokend: unknown command: tok - did you mean 'tokens'?", 'tokend'],
    [['tokens', 'me', 'gte'], "tokend: unknown command: tokens me gte - did you mean 'tokens me get'?", 'tokend tokens me'],
    [['roles', 'delet', 'X'], "tokend: unknown command: roles delet - did you mean 'roles delete'?", 'tokend roles'],
    [['groups', 'updte'], "tokend: unknown command: groups updte - did you mean 'groups update'?", 'tokend groups'],
    [['profile', 'uses', 'x'], "tokend: unknown command: profile uses - did you mean 'profile use'?", 'tokend profile'],
    [['--verison'], 'tokend: unknown option: --verison - did you mean --version?', 'tokend'],
  ];
  for (const [args, line, where] of cases) {
    const run = await cli.run(args);
    assert.deepEqual([run.code, run.stdout, run.stderr], [2, '', `${line}\nRun '${where} --help' for the usage.\n`], args.join(' '));
  }
});

test('a mistyped option names the nearest options of that command and where its usage is, exit 2', async () => {
  const cases: Array<[string[], string, string]> = [
    [['users', 'list', '--emial', 'x@y'], "tokend: Unknown option '--emial' - did you mean --email?", 'tokend users list'],
    [['users', 'list', '--jsno'], "tokend: Unknown option '--jsno' - did you mean --json?", 'tokend users list'],
    [['clients', 'create', '--grant-typ', 'CODE'], "tokend: Unknown option '--grant-typ' - did you mean --grant-type?", 'tokend clients create'],
    [['tokens', 'me', 'get', '--preserveidlettl'], "tokend: Unknown option '--preserveidlettl' - did you mean --preserveIdleTTL?", 'tokend tokens me get'],
    [['tokens', 'me', 'get', '--client-secert', 's'], "tokend: Unknown option '--client-secert' - did you mean --client-secret?", 'tokend tokens me get'],
    [['orgs', 'list', '--databse', 'x.db'], "tokend: Unknown option '--databse' - did you mean --database?", 'tokend orgs list'],
    [['roles', 'create', '--permision', 'x:y:z'], "tokend: Unknown option '--permision' - did you mean --permission?", 'tokend roles create'],
    [['groups', 'create', '--membr', 'x'], "tokend: Unknown option '--membr' - did you mean --member?", 'tokend groups create'],
    [['orgs', 'list', '--colour'], "tokend: Unknown option '--colour'", 'tokend orgs list'],
  ];
  for (const [args, line, usage] of cases) {
    const run = await cli.run(args, { env: { TOKEND_DATABASE: '/nonexistent/tokend.db' } });
    assert.deepEqual([run.code, run.stdout, run.stderr], [2, '', `${line}\nRun '${usage} --help' for the usage.\n`], args.join(' '));
  }
});

test('the distance counts a swap of neighbours as one edit; far-off names get no guess', () => {
  assert.equal(editDistance('emial', 'email'), 1);
  assert.equal(editDistance('list', 'lst'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.deepEqual(closest('bogus', ['tokens', 'users', 'orgs']), []);
  assert.deepEqual(closest('role', ['roles', 'orgs']), ['roles']);
  assert.deepEqual(closest('x', ['xy', 'xz']), ['xy', 'xz'], 'one edit is always within reach');
});
