/** Seed files: idempotent, edits update, a bad file is refused whole with the path of the bad field. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { applySeedText } from '../../src/core/seed/apply.js';
import { SeedError } from '../../src/core/seed/validate.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { SEED_FILE } from '../helpers/fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'tokend-seed-'));
const clock = new ManualClock();
let store: SqliteStore;
before(async () => {
  store = new SqliteStore(join(dir, 'seed.db'));
  await store.migrate();
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const small = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    organizations: [
      {
        name: 'Initech',
        roles: [{ name: 'Admin', permissions: ['oauth:token:delete'] }],
        groups: [{ name: 'Ops' }],
        users: [{ name: 'Peter', email: 'peter@initech.test', password: 'peter-pw-1', roles: ['Admin'], groups: ['Ops'] }],
        clients: [{ name: 'Svc', secret: 'svc-secret', authorizedGrantType: 'CLIENT-CREDENTIALS', roles: ['Admin'] }],
        ...overrides,
      },
    ],
  });

async function snapshot() {
  const clients = await store.listClients();
  const users = await Promise.all(clients.map(async (c) => (await store.findUserByEmail(c.organizationId, 'peter@initech.test')) ?? null));
  return JSON.stringify({ clients, users });
}

test('applying the same seed twice changes nothing; ids without one are stable', async () => {
  const summary = await applySeedText(store, clock, small());
  assert.deepEqual(summary, { organizations: 1, users: 1, clients: 1, endedSessions: 0, revokedTokens: 0, kept: [] });
  const once = await snapshot();
  clock.advance(60_000);
  await applySeedText(store, clock, small());
  assert.equal(await snapshot(), once);
});

test('given ids are kept exactly, and the fixture seed applies', async () => {
  await applySeedText(store, clock, readFileSync(SEED_FILE, 'utf8'));
  const client = await store.findClient('11111111-0000-4000-8000-00000000d001');
  assert.equal(client?.name, 'Admin service');
  assert.equal(client?.secretHash?.startsWith('scrypt$'), true, 'only a hash is stored');
  assert.ok(!client?.secretHash?.includes('admin-service-secret'));
});

test('an edited seed updates what changed and moves dateModified only there', async () => {
  const [before] = await store.listClients((await store.listClients()).find((c) => c.name === 'Svc')?.organizationId);
  assert.ok(before);
  clock.advance(60_000);
  await applySeedText(
    store,
    clock,
    small({ clients: [{ name: 'Svc', secret: 'svc-secret', authorizedGrantType: 'CLIENT-CREDENTIALS', roles: ['Admin'], state: 'disabled' }] }),
  );
  const after = await store.findClient(before.id);
  assert.equal(after?.state, 'disabled');
  assert.equal(after?.dateCreated, before.dateCreated);
  assert.equal(after?.dateModified, clock.now());
  assert.equal(after?.secretHash, before.secretHash, 'an unchanged secret keeps its hash');
});

const bad: Array<[string, string, string]> = [
  ['not JSON', '{', ''],
  ['a bad grant type', small({ clients: [{ name: 'Svc', secret: 's', authorizedGrantType: 'MAGIC' }] }), 'organizations[0].clients[0].authorizedGrantType'],
  ['an unknown property', small({ colour: 'red' }), 'organizations[0].colour'],
  ['a bad email', small({ users: [{ name: 'P', email: 'nope' }] }), 'organizations[0].users[0].email'],
  ['a bad id', small({ groups: [{ id: 'not-a-uuid', name: 'Ops' }] }), 'organizations[0].groups[0].id'],
  ['an unknown role', small({ users: [{ name: 'P', email: 'p@x.test', roles: ['Nope'] }] }), 'organizations[0].users[0].roles[0]'],
  [
    'a duplicate client name',
    small({
      clients: [
        { name: 'A', secret: 's', authorizedGrantType: 'PASSWORD' },
        { name: 'A', secret: 's', authorizedGrantType: 'PASSWORD' },
      ],
    }),
    'organizations[0].clients[1].name',
  ],
  ['a missing secret', small({ clients: [{ name: 'A', authorizedGrantType: 'CLIENT-CREDENTIALS' }] }), 'organizations[0].clients[0].secret'],
  ['a code client without redirect', small({ clients: [{ name: 'A', authorizedGrantType: 'CODE' }] }), 'organizations[0].clients[0].registeredRedirectUri'],
  [
    'a lifetime out of range',
    small({ clients: [{ name: 'A', secret: 's', authorizedGrantType: 'PASSWORD', accessTokenValiditySeconds: 100 }] }),
    'organizations[0].clients[0].accessTokenValiditySeconds',
  ],
  // The admin core's role and group rules (directory-rules.ts), as `tokend roles create` applies them.
  [
    'a permission that is not domain:entity:action',
    small({ roles: [{ name: 'Admin', permissions: ['oauth:token:delete', 'oauth:token'] }] }),
    'organizations[0].roles[0].permissions[1]',
  ],
  ['a blank role name', small({ roles: [{ name: '  ', permissions: [] }] }), 'organizations[0].roles[0].name'],
  ['a blank group name', small({ groups: [{ name: ' ' }] }), 'organizations[0].groups[0].name'],
  // Divisions: the home one is every organization's own ("Home"); the others are unique by name in the normal form.
  ['a division named Home', small({ divisions: [{ name: 'HOME' }] }), 'organizations[0].divisions[0].name'],
  ['a duplicate division name', small({ divisions: [{ name: 'Sales' }, { name: 'sales' }] }), 'organizations[0].divisions[1].name'],
  ['an idle timeout out of range', small({ idleTokenTimeout: { idleTokenTimeoutSeconds: 10 } }), 'organizations[0].idleTokenTimeout.idleTokenTimeoutSeconds'],
];
for (const [name, text, path] of bad) {
  test(`a seed with ${name} is refused naming ${path || 'the file'}, and nothing changes`, async () => {
    const before = await snapshot();
    await assert.rejects(applySeedText(store, clock, text), (error: unknown) => {
      assert.ok(error instanceof SeedError);
      assert.equal(error.path, path);
      if (path) assert.ok(error.message.startsWith(`${path}: `), error.message);
      return true;
    });
    assert.equal(await snapshot(), before);
  });
}
