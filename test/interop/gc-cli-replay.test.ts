/**
 * The `gc` CLI's first calls (MyPureCloud/platform-client-sdk-cli), replayed against a listening
 * tokend as its public source makes them. SQLite, or PostgreSQL under TOKEND_TEST_DATABASE=postgres.
 *
 * - Sign-in: `build/gc/restclient/restclient.go`, `authorize`: POST /oauth/token, Basic,
 *   `grant_type=client_credentials`. Each API call (`callAPI`) carries `Content-Type:
 *   application/json` (GETs too), `Cache-Control: no-cache`, its User-Agent and `purecloud-sdk`.
 * - Query strings: each command's `Run` (`build/gc/cmd/<name>/<name>.go`) puts a flag in the
 *   query only when `utils.GetFlag` is not "" (`build/gc/utils/general.go`): string and list
 *   flags are registered with an empty default (`AddFlag` ignores the help's default, so the
 *   "ASC" and "active" shown for `users list` are never sent unless typed), int flags with theirs
 *   (`pageSize` 25, `pageNumber` 1 always sent); a list flag is joined with "," and every value
 *   is `url.QueryEscape`d (a comma arrives as %2C).
 * - Paging: `build/gc/services/commandservice.go`, `List` (the `--autopaginate` flag): it reads the
 *   first page's `pageNumber` and `pageCount` (models.Entities), then for x from pageNumber+1 to
 *   pageCount rewrites `pageNumber=N` in the URI to N+1 (`updatePagingIndex`), and concatenates
 *   each page's `entities`. A listing without `pageCount` is read as one page.
 * gc renders the JSON as it came: beyond the paging fields it dereferences nothing.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { systemClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { listenForSdk } from '../helpers/genesys-sdk.js';
import { INITECH, people, READAPI_SEED_FILE, services } from '../helpers/readapi-fixture.js';
import { GC_HEADERS, isArray, type Json, type ToolWire, toolWire } from '../helpers/replay-wire.js';

let t: TestApp;
let gc: ToolWire;
let token: string;
before(async () => {
  t = await startTestApp({ clock: systemClock as never, seedFile: READAPI_SEED_FILE });
  gc = toolWire(`http://127.0.0.1:${await listenForSdk(t)}`, GC_HEADERS);
  token = await gc.clientCredentials(services.terraform);
});
after(() => t.close());

/** `commandService.List`: the first page, then pageNumber+1..pageCount, by rewriting `pageNumber=N`. */
async function autopaginate(uri: string): Promise<{ pages: string[]; entities: Json[] }> {
  const first = await gc.ok(uri, token);
  const pages = [uri];
  isArray(first.entities, `${uri}: entities`);
  const entities = [...first.entities];
  // models.Entities: a missing pageNumber or pageCount unmarshals as 0.
  const pageNumber = typeof first.pageNumber === 'number' ? first.pageNumber : 0;
  const pageCount = typeof first.pageCount === 'number' ? first.pageCount : 0;
  let pagedUri = uri;
  for (let x = pageNumber + 1; x <= pageCount; x++) {
    pagedUri = pagedUri.replace(/pageNumber=([0-9]+)/, (_, n: string) => `pageNumber=${Number(n) + 1}`);
    pages.push(pagedUri);
    const page = await gc.ok(pagedUri, token);
    isArray(page.entities, `${pagedUri}: entities`);
    entities.push(...page.entities);
  }
  return { pages, entities };
}

const names = (entities: Json[]) => entities.map((user) => user.name);

test('gc users list: GET /users?pageSize=25&pageNumber=1 (the int flags are always sent)', async () => {
  const listing = await gc.ok('/api/v2/users?pageSize=25&pageNumber=1', token);
  assert.deepEqual([listing.pageSize, listing.pageNumber, listing.pageCount, listing.total], [25, 1, 1, 2]);
  isArray(listing.entities, 'entities');
  assert.deepEqual(names(listing.entities), [people.ned.name, people.rita.name]);
});

test('gc users list --pageSize 1 --autopaginate: pages by pageNumber until pageCount', async () => {
  const { pages, entities } = await autopaginate('/api/v2/users?pageSize=1&pageNumber=1');
  assert.deepEqual(pages, ['/api/v2/users?pageSize=1&pageNumber=1', '/api/v2/users?pageSize=1&pageNumber=2']);
  assert.deepEqual(names(entities), [people.ned.name, people.rita.name]);
});

test('gc users list --sortOrder ASC --state active (the values its help shows as defaults, typed)', async () => {
  const listing = await gc.ok('/api/v2/users?pageSize=25&pageNumber=1&sortOrder=ASC&state=active', token);
  isArray(listing.entities, 'entities');
  assert.deepEqual(names(listing.entities), [people.ned.name, people.rita.name]);
  const descending = await gc.ok('/api/v2/users?pageSize=25&pageNumber=1&sortOrder=DESC', token);
  isArray(descending.entities, 'entities');
  assert.deepEqual(names(descending.entities), [people.rita.name, people.ned.name]);
});

test('gc users list --expand <every value its help lists>: one flag, comma-joined and escaped (%2C)', async () => {
  // `build/gc/cmd/users/users.go`: the valid values of listCmd's expand flag.
  const expand = [
    'routingStatus',
    'presence',
    'conversationSummary',
    'outOfOffice',
    'geolocation',
    'station',
    'authorization',
    'lasttokenissued',
    'dateLastLogin',
    'authorization.unusedRoles',
    'team',
    'profileSkills',
    'certifications',
    'locations',
    'groups',
    'skills',
    'languages',
    'languagePreference',
    'employerInfo',
    'biography',
  ];
  const listing = await gc.ok(`/api/v2/users?pageSize=25&pageNumber=1&expand=${encodeURIComponent(expand.join(','))}`, token);
  isArray(listing.entities, 'entities');
  const rita = listing.entities.find((user) => user.id === people.rita.id);
  assert.ok(rita?.authorization !== undefined && rita.presence !== undefined && rita.routingStatus !== undefined, JSON.stringify(rita));
});

test('gc users list --id <a>,<b>: one flag, comma-joined, the comma escaped', async () => {
  const listing = await gc.ok(`/api/v2/users?pageSize=25&pageNumber=1&id=${encodeURIComponent(`${people.rita.id},${people.ned.id}`)}`, token);
  isArray(listing.entities, 'entities');
  assert.deepEqual(names(listing.entities), [people.ned.name, people.rita.name]);
});

test('gc users get <id>: GET /users/{userId} (no flag typed, no query)', async () => {
  const user = await gc.ok(`/api/v2/users/${people.rita.id}`, token);
  assert.deepEqual([user.id, user.name, user.email, user.state], [people.rita.id, people.rita.name, people.rita.email, 'active']);
  const withState = await gc.ok(`/api/v2/users/${people.rita.id}?state=active&expand=authorization%2Cgroups`, token);
  assert.equal(withState.id, people.rita.id);
  assert.ok(withState.authorization !== undefined && withState.groups !== undefined, JSON.stringify(withState));
});

test('gc tokens me get: GET /tokens/me', async () => {
  // `build/gc/cmd/tokens_me/tokens_me.go`, getCmd: no query.
  const info = await gc.ok('/api/v2/tokens/me', token);
  const client = info.OAuthClient as Json | undefined;
  assert.equal(client?.id, services.terraform.id);
  assert.equal((info.organization as Json | undefined)?.id, INITECH);
  assert.equal((info.homeOrganization as Json | undefined)?.id, INITECH);
});

test('gc organizations me get: GET /organizations/me', async () => {
  // `build/gc/cmd/organizations_me/organizations_me.go`, getCmd: no query; gc prints the
  // Organization (its `update` PUTs it back as a file, so every field should be there).
  const organization = await gc.ok('/api/v2/organizations/me', token);
  assert.deepEqual([organization.id, organization.name], [INITECH, 'Initech']);
  // Every field of the SDK's Organization, each named when it is missing or of another type.
  const types = {
    defaultLanguage: 'string',
    defaultCountryCode: 'string',
    thirdPartyOrgName: 'string',
    thirdPartyURI: 'string',
    domain: 'string',
    features: 'object',
    version: 'number',
    state: 'string',
    defaultSiteId: 'string',
    supportURI: 'string',
    voicemailEnabled: 'boolean',
    productPlatform: 'string',
    selfUri: 'string',
  };
  const wrong = Object.entries(types).filter(([field, type]) => typeof organization[field] !== type);
  assert.deepEqual(
    wrong.map(([field, type]) => `${field}: ${type}, not ${JSON.stringify(organization[field])}`),
    [],
  );
});
