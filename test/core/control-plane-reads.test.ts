/** The core decisions behind the control plane's reads: scopes known, permission policies, expands, paging. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isKnownScope, KNOWN_SCOPES } from '../../src/core/known-scopes.js';
import { permissionPolicies } from '../../src/core/permission-policies.js';
import { ALWAYS_GRANTED_SCOPE } from '../../src/core/scopes.js';
import { USER_EXPAND_LIST, USER_ME_EXPAND_LIST } from '../../src/core/user-expand.js';
import { pageListing } from '../../src/http/page-listing.js';
import { queryList } from '../../src/http/query-list.js';
import { ALL_OPERATIONS } from '../../src/core/operations/table.js';

test('every scope an operation of the table names is known, with its read-only variant; ids are unique', () => {
  for (const scope of new Set(ALL_OPERATIONS.flatMap((operation) => operation.scopes))) {
    assert.ok(isKnownScope(scope), scope);
    const family = scope.replace(/:readonly$/, '');
    if (family !== ALWAYS_GRANTED_SCOPE) assert.ok(isKnownScope(`${family}:readonly`), `${family}:readonly`);
  }
  assert.ok(isKnownScope(ALWAYS_GRANTED_SCOPE));
  assert.ok(!isKnownScope(`${ALWAYS_GRANTED_SCOPE}:readonly`), 'always granted: no read-only variant');
  assert.ok(isKnownScope('users:readonly'));
  assert.ok(!isKnownScope('presence'));
  assert.equal(new Set(KNOWN_SCOPES.map((scope) => scope.id)).size, KNOWN_SCOPES.length);
});

test('permission policies: one per domain:entity, actions once each, wildcards kept', () => {
  assert.deepEqual(permissionPolicies(['oauth:client:view', 'oauth:client:edit', 'oauth:client:view', 'oauth:*:*', 'oauth:client:*']), [
    { domain: 'oauth', entityName: 'client', actionSet: ['view', 'edit', '*'] },
    { domain: 'oauth', entityName: '*', actionSet: ['*'] },
  ]);
  assert.deepEqual(permissionPolicies(['*']), [{ domain: '*', entityName: '*', actionSet: ['*'] }]);
  assert.deepEqual(permissionPolicies([]), []);
  // A malformed permission matches only itself (permissions.ts): no part is shown as a wildcard.
  assert.deepEqual(permissionPolicies(['oauth', 'a:b:c:d']), [
    { domain: 'oauth', entityName: '', actionSet: [''] },
    { domain: 'a', entityName: 'b', actionSet: ['c:d'] },
  ]);
});

test("expand: each operation's own values, in any case, spelt as the SDK spells them; others refused", () => {
  assert.deepEqual([...USER_ME_EXPAND_LIST.parse(['organization', 'TOKEN', 'lastTokenIssued', 'presence'])].sort(), [
    'lasttokenissued',
    'organization',
    'presence',
    'token',
  ]);
  assert.deepEqual([...USER_ME_EXPAND_LIST.parse([])], []);
  assert.equal(USER_ME_EXPAND_LIST.values.length, 43);
  assert.throws(() => USER_ME_EXPAND_LIST.parse(['token', 'organisation']), {
    status: 400,
    code: 'invalid.query.param.value',
    message: 'Invalid value for parameter expand: "organisation" is not an expand of getUsersMe.',
  });
  assert.throws(() => USER_ME_EXPAND_LIST.parse(['__proto__']), { code: 'invalid.query.param.value' });
  // getUser lists no token or organization: they are the signed-in person's.
  assert.throws(() => USER_EXPAND_LIST.parse(['token']), { message: 'Invalid value for parameter expand: "token" is not an expand of getUser.' });
  assert.deepEqual([...USER_EXPAND_LIST.parse(['DATELASTLOGIN', 'authorization.unusedroles'])], ['dateLastLogin', 'authorization.unusedRoles']);
});

test('query lists: repeated, comma-separated or both; blanks dropped', () => {
  assert.deepEqual(queryList(undefined), []);
  assert.deepEqual(queryList('a'), ['a']);
  assert.deepEqual(queryList('a, b,,'), ['a', 'b']);
  assert.deepEqual(queryList(['a,b', 'c', '']), ['a', 'b', 'c']);
});

test('paging: an empty listing has no page but its first, and links stay in range', () => {
  assert.deepEqual(pageListing([], { pageSize: 25, pageNumber: 1 }, '/x'), {
    entities: [],
    pageSize: 25,
    pageNumber: 1,
    total: 0,
    pageCount: 0,
    firstUri: '/x?pageSize=25&pageNumber=1',
    selfUri: '/x?pageSize=25&pageNumber=1',
    lastUri: '/x?pageSize=25&pageNumber=1',
  });
  const page = pageListing([1, 2, 3], { pageSize: 2, pageNumber: 2 }, '/x', { name: ['a b&c'] });
  assert.deepEqual(page.entities, [3]);
  assert.equal(page.previousUri, '/x?pageSize=2&pageNumber=1&name=a%20b%26c');
  assert.equal(page.nextUri, undefined);
  const huge = pageListing([1], { pageSize: 500, pageNumber: 2_147_483_647 }, '/x');
  assert.deepEqual(huge.entities, []);
  assert.equal(huge.previousUri, '/x?pageSize=500&pageNumber=1');
});
