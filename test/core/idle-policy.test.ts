/**
 * Which idle timeout applies to a token, and changing an organization's (src/core/idle-policy.ts,
 * idle-timeout.ts), without HTTP: bundles by lowest priority, the organization's value for the
 * rest, none for anyone while both are off; an update merges, refuses what a schema cannot catch
 * with the typed error, and applies to cached tokens from the next call.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { effectiveIdleSeconds } from '../../src/core/idle-policy.js';
import type { IdleTimeouts } from '../../src/core/idle-timeout.js';
import { DEFAULT_IDLE_TOKEN_TIMEOUT, type IdleTokenTimeout, type Organization } from '../../src/core/models.js';
import { apiErrorOf, BAD_CREDENTIALS, type Core, openCore, storedToken } from '../helpers/core-services.js';
import { T0, userOf, world } from '../store/fixtures.js';
import { authenticate } from '../helpers/authenticate.js';

const NIGHT = 'group-night';
const DAY = 'group-day';
const policy = (overrides: Partial<IdleTokenTimeout>): IdleTokenTimeout => ({ ...DEFAULT_IDLE_TOKEN_TIMEOUT, ...overrides });
const member = (...groupIds: string[]) => userOf('org', { groupIds });

test('off: no timeout for anyone, whatever the bundles say while their switch is off', () => {
  assert.equal(effectiveIdleSeconds(DEFAULT_IDLE_TOKEN_TIMEOUT, member(NIGHT)), null);
  const bundlesOff = policy({ inactivityTimeoutGroupBundles: [{ priority: 1, timeoutSeconds: 600, groups: [NIGHT] }] });
  assert.equal(effectiveIdleSeconds(bundlesOff, member(NIGHT)), null);
  assert.equal(effectiveIdleSeconds(bundlesOff, null), null);
});

test("the organization's value: for every user and for client-credentials tokens", () => {
  const on = policy({ enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 900 });
  assert.equal(effectiveIdleSeconds(on, member()), 900);
  assert.equal(effectiveIdleSeconds(on, null), 900);
});

test("bundles: a member gets its bundle's, the lowest priority number winning; others the organization's or none", () => {
  const bundles = [
    { priority: 3, timeoutSeconds: 3600, groups: [DAY] },
    { priority: 2, timeoutSeconds: 1200, groups: ['other', NIGHT] },
  ];
  const withOrg = policy({
    enableIdleTokenTimeout: true,
    idleTokenTimeoutSeconds: 900,
    inactivityTimeoutGroupsEnabled: true,
    inactivityTimeoutGroupBundles: bundles,
  });
  assert.equal(effectiveIdleSeconds(withOrg, member(DAY)), 3600);
  assert.equal(effectiveIdleSeconds(withOrg, member(NIGHT)), 1200);
  assert.equal(effectiveIdleSeconds(withOrg, member(DAY, NIGHT)), 1200, 'priority 2 before 3, whatever the order of the list');
  assert.equal(effectiveIdleSeconds(withOrg, member('elsewhere')), 900);
  assert.equal(effectiveIdleSeconds(withOrg, null), 900, 'a client-credentials token is in no group');
  const bundlesOnly = { ...withOrg, enableIdleTokenTimeout: false };
  assert.equal(effectiveIdleSeconds(bundlesOnly, member(DAY)), 3600, 'a bundle applies with the organization-wide value off');
  assert.equal(effectiveIdleSeconds(bundlesOnly, member()), null);
});

let core: Core;
before(async () => {
  core = await openCore('tokend-idle-policy-');
});
after(() => core.close());

/** A stored organization with one group, and the organization as the caller's principal would hold it. */
async function organization(): Promise<{ organization: Organization; groupId: string; w: ReturnType<typeof world> }> {
  const w = world();
  await core.store.applySeed(w.plan);
  return { organization: (await core.store.findOrganization(w.organization.id)) as Organization, groupId: w.groupId, w };
}

const update = (organization: Organization, input: Parameters<IdleTimeouts['update']>[1]) => core.services.idleTimeouts.update(organization, input);

test('an update merges over the stored value, stores it, and applies to cached tokens from the next call', async () => {
  core.clock.set(T0);
  const { organization: org, groupId, w } = await organization();
  const raw = await storedToken(core.store, w);
  assert.equal((await authenticate(core.services.authenticator, raw)).idleSeconds, null);
  const expected = policy({
    enableIdleTokenTimeout: true,
    idleTokenTimeoutSeconds: 600,
    inactivityTimeoutGroupBundles: [{ priority: 1, timeoutSeconds: 300, groups: [groupId] }],
  });
  const next = await update(org, {
    enableIdleTokenTimeout: true,
    idleTokenTimeoutSeconds: 600,
    inactivityTimeoutGroupBundles: expected.inactivityTimeoutGroupBundles,
  });
  assert.deepEqual(next, expected);
  assert.deepEqual((await core.store.findOrganization(org.id))?.idleTokenTimeout, expected);
  core.clock.set(T0 + 599_999);
  assert.equal((await authenticate(core.services.authenticator, raw)).idleSeconds, 600);
  core.clock.set(T0 + 600_000);
  await assert.rejects(authenticate(core.services.authenticator, raw), BAD_CREDENTIALS, 'idle since T0 under the new timeout');
});

test('refused: two bundles of one priority, a group of another organization; nothing is stored', async () => {
  const { organization: org, groupId } = await organization();
  const { groupId: foreignGroup } = await organization();
  await assert.rejects(
    update(org, {
      inactivityTimeoutGroupBundles: [
        { priority: 1, timeoutSeconds: 300, groups: [groupId] },
        { priority: 1, timeoutSeconds: 600, groups: [groupId] },
      ],
    }),
    apiErrorOf(400, 'invalid.value', 'inactivityTimeoutGroupBundles[1].priority: priority 1 is used by another bundle', {
      details: [{ errorCode: 'invalid.value', fieldName: 'inactivityTimeoutGroupBundles[1].priority' }],
    }),
  );
  await assert.rejects(
    update(org, { inactivityTimeoutGroupBundles: [{ priority: 2, timeoutSeconds: 300, groups: [groupId, foreignGroup] }] }),
    apiErrorOf(400, 'invalid.value', `inactivityTimeoutGroupBundles[0].groups[1]: no group with id ${foreignGroup} in this organization`, {
      details: [{ errorCode: 'invalid.value', fieldName: 'inactivityTimeoutGroupBundles[0].groups[1]' }],
    }),
  );
  assert.deepEqual((await core.store.findOrganization(org.id))?.idleTokenTimeout, DEFAULT_IDLE_TOKEN_TIMEOUT);
});

test('an organization that is gone: 404 not.found naming it', async () => {
  const { organization: org } = await organization();
  const gone = { ...org, id: randomUUID() };
  await assert.rejects(
    update(gone, { enableIdleTokenTimeout: true }),
    apiErrorOf(404, 'not.found', 'The organization no longer exists.', { entityId: gone.id }),
  );
});
