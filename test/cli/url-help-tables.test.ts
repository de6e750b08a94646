/**
 * The face of the command line: a `--url` mistake answered in one line, help wrapped at the
 * terminal's width (80 columns when stdout is not a terminal), tables within 100 columns.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Command, Group } from '../../src/cli/args.js';
import { ROOT } from '../../src/cli/commands.js';
import { commandHelp, groupHelp, helpWidth } from '../../src/cli/help.js';
import { table } from '../../src/cli/listing.js';
import { type ListeningTokend, useListeningTokend } from './helpers.js';

let t: ListeningTokend;
const cli = useListeningTokend((started) => (t = started));

test('--url without http://, with /api/v2, or https:// to a plain-http tokend: one line saying what to give, exit 1', async () => {
  const host = new URL(t.url).host;
  const cases: Array<[string[], Record<string, string>, string]> = [
    [['tokens', 'me', 'get', '--url', host, '--access-token', 'x'], {}, `tokend: --url ${host} has no http:// or https:// - did you mean http://${host}?`],
    [
      ['tokens', 'me', 'head', '--access-token', 'x'],
      { TOKEND_URL: `${t.url}/api/v2/` },
      `tokend: TOKEND_URL ${t.url}/api/v2/ ends in /api/v2, which tokend adds itself - give the server's base URL: ${t.url}`,
    ],
    [
      ['test', 'clock', '--url', `${t.url}/api/v2`],
      {},
      `tokend: --url ${t.url}/api/v2 ends in /api/v2, which tokend adds itself - give the server's base URL: ${t.url}`,
    ],
    [
      ['profile', 'add', 'x', '--url', `${t.url}/API/V2`],
      {},
      `tokend: --url ${t.url}/API/V2 ends in /api/v2, which tokend adds itself - give the server's base URL: ${t.url}`,
    ],
    [
      ['tokens', 'me', 'head'],
      { GENESYSCLOUD_ACCESS_TOKEN: 'x', TOKEND_URL: `https://${host}` },
      `tokend: HEAD https://${host}/api/v2/tokens/me failed: the server at https://${host} speaks plain http, not https (ERR_SSL_WRONG_VERSION_NUMBER) - use http://${host}`,
    ],
  ];
  for (const [args, env, line] of cases) {
    const run = await cli.run(args, { env });
    const stderr = run.stderr.replace(/^tokend: warning: .*\n/, '');
    assert.deepEqual([run.code, run.stdout, stderr], [1, '', `${line}\n`], args.join(' '));
  }
});

/** Every level of the tree and its path. */
function levels(node: Group | Command, path: string[] = ['tokend']): Array<{ node: Group | Command; path: string[] }> {
  const here = { node, path };
  return node.kind === 'command' ? [here] : [here, ...node.children.flatMap((child) => levels(child, [...path, child.name]))];
}

test('every help fits its width, 80 and 60 columns, but the example (a command to paste stays on one line)', () => {
  for (const width of [80, 60, 120]) {
    for (const { node, path } of levels(ROOT)) {
      const text = node.kind === 'group' ? groupHelp(node, path, width) : commandHelp(node, path, width);
      const lines = text.split('\n');
      const example = lines.indexOf('Example:') + 1;
      const long = lines.filter((line, i) => i !== example && line.length > width);
      assert.deepEqual(long, [], `${path.join(' ')} at ${width}`);
    }
  }
});

test('the help is 80 columns wide when stdout is not a terminal, the terminal width when it is', async () => {
  assert.equal(helpWidth(undefined), 80);
  assert.equal(helpWidth({ isTTY: false, columns: 200 } as never), 80);
  assert.equal(helpWidth({ isTTY: true, columns: 132 } as never), 132);
  const run = await cli.run(['clients', 'update', '--help']);
  assert.equal(run.code, 0);
  const lines = run.stdout.split('\n');
  assert.deepEqual(
    lines.filter((line, i) => lines[i - 1] !== 'Example:' && line.length > 80),
    [],
  );
  assert.ok(
    run.stdout.includes('      --access-token-validity SECONDS\n      token lifetime, 300 to 172800\n'),
    'a name that reaches the description column puts its description under it',
  );
});

test('a table wider than 100 columns wraps its widest column other than the ids, at a space where it can', () => {
  const rows = [
    { id: '11111111-0000-4000-8000-00000000d001', name: 'A service whose name is long enough to push the table past a hundred columns', state: 'active' },
    { id: '11111111-0000-4000-8000-00000000d002', name: 'Short', state: 'disabled' },
  ];
  const columns = [
    { title: 'id', cell: (row: (typeof rows)[number]) => row.id },
    { title: 'name', cell: (row: (typeof rows)[number]) => row.name },
    { title: 'state', cell: (row: (typeof rows)[number]) => row.state },
  ];
  assert.equal(
    table(rows, columns),
    [
      'ID                                    NAME                                                  STATE',
      '11111111-0000-4000-8000-00000000d001  A service whose name is long enough to push the       active',
      '                                      table past a hundred columns',
      '11111111-0000-4000-8000-00000000d002  Short                                                 disabled',
      '',
    ].join('\n'),
  );
  assert.equal(table(rows.slice(1), columns), 'ID                                    NAME   STATE\n11111111-0000-4000-8000-00000000d002  Short  disabled\n');
});
