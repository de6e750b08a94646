/**
 * Who may read a SQLite store (issue 22): under the common umask 022, the folders tokend creates
 * are 0700 and the store file, its WAL and its shared memory 0600, as is a backup; a folder it
 * did not create is left as it is, and `tokend serve` warns when others may read or write it.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { storeExposure } from '../../src/store/sqlite/file-modes.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runCli } from '../cli/helpers.js';
import { startServe } from '../helpers/serve-process.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const modeOf = (path: string) => statSync(path).mode & 0o777;
let dir: string;
let umask: number;
before(() => {
  // The default of most systems, under which files were created 0644 and folders 0755; the CLI's children inherit it.
  umask = process.umask(0o022);
  dir = mkdtempSync(join(tmpdir(), 'tokend-modes-'));
});
after(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

test('a new store: the folders tokend creates are 0700, the file, its -wal and its -shm 0600', async () => {
  const database = join(dir, 'new', 'state', 'tokend.db');
  const store = new SqliteStore(database);
  try {
    await store.migrate();
    for (const path of [database, `${database}-wal`, `${database}-shm`]) assert.equal(modeOf(path), 0o600, path);
    assert.equal(modeOf(join(dir, 'new')), 0o700);
    assert.equal(modeOf(join(dir, 'new', 'state')), 0o700);
    assert.deepEqual(storeExposure(database), []);
  } finally {
    await store.close();
  }
});

test("a folder tokend did not create keeps its mode, and the exposure is named; an older store file's too", async () => {
  const folder = join(dir, 'shared');
  mkdirSync(folder);
  chmodSync(folder, 0o755);
  const database = join(folder, 'tokend.db');
  const store = new SqliteStore(database);
  await store.migrate();
  await store.close();
  assert.equal(modeOf(folder), 0o755, 'not changed');
  assert.equal(modeOf(database), 0o600);
  assert.deepEqual(storeExposure(database), [
    `the store's folder ${folder} is readable by other users (mode 0755): the store holds the hash of every secret; make it readable by tokend's user alone (chmod 700 ${folder}); tokend does not change a folder it did not create`,
  ]);
  chmodSync(folder, 0o777);
  assert.match(storeExposure(database)[0] ?? '', /is writable by other users \(mode 0777\)/);
  chmodSync(folder, 0o700);
  // A file an older tokend made 0644 is left alone too, and named.
  const older = join(folder, 'older.db');
  writeFileSync(older, '', { mode: 0o644 });
  const reopened = new SqliteStore(older);
  await reopened.migrate();
  await reopened.close();
  assert.equal(modeOf(older), 0o644);
  assert.deepEqual(storeExposure(older), [
    `the store's files are open to other users: ${older} (mode 0644); they hold the hash of every secret: chmod 600 ${older}*`,
  ]);
});

test('tokend backup writes its copy 0600, and still never overwrites a file', async () => {
  const database = join(dir, 'backed-up', 'tokend.db');
  const store = new SqliteStore(database);
  await store.migrate();
  await store.close();
  const copy = join(dir, 'backed-up', 'copy.db');
  const backup = await runCli(['backup', copy, '--database', database]);
  assert.equal(backup.code, 0, backup.stderr);
  assert.equal(modeOf(copy), 0o600);
  const again = await runCli(['backup', copy, '--database', database]);
  assert.deepEqual([again.code, again.stderr], [1, `tokend: backup of ${database} to ${copy} failed: ${copy} exists: a backup never overwrites a file\n`]);
  assert.equal(modeOf(copy), 0o600);
  const nowhere = join(dir, 'no-such-folder', 'copy.db');
  assert.equal((await runCli(['backup', nowhere, '--database', database])).code, 1);
  assert.ok(!existsSync(nowhere));
});

test('tokend serve warns at start when others may read the store folder; not when tokend created it', async () => {
  for (const [folder, exposed] of [
    [join(dir, 'served-private', 'data'), false],
    [join(dir, 'served-open'), true],
  ] as const) {
    if (exposed) {
      mkdirSync(folder);
      chmodSync(folder, 0o755);
    }
    const database = join(folder, 'tokend.db');
    const { child, output } = await startServe(MAIN, { TOKEND_DATABASE: database, TOKEND_DEMO: '0' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    const line = /"level":40,[^\n]*"msg":"the store's folder [^"]* is readable by other users \(mode 0755\)/;
    if (exposed) assert.match(output(), line);
    else assert.doesNotMatch(output(), /store's folder|store's files/);
    assert.equal(modeOf(database), 0o600);
    assert.equal(modeOf(folder), exposed ? 0o755 : 0o700);
  }
});
