/**
 * The first calls of real Genesys tools, replayed against a listening tokend as their public
 * source makes them (issue 24, "Real tools, replayed"); each must answer 2xx with every field
 * the tool dereferences. SQLite, or PostgreSQL under TOKEND_TEST_DATABASE=postgres.
 *
 * - Terraform provider (MyPureCloud/terraform-provider-genesyscloud):
 *   `genesyscloud/provider/provider.go`, `configure()`: `InitClientConfig` logs in with the Go
 *   SDK's `AuthorizeClientCredentials` (POST /oauth/token, Basic, grant_type=client_credentials),
 *   then `getOrganizationMe` (GET /api/v2/organizations/me) and dereferences
 *   `*currentOrg.DefaultCountryCode`; a nil field there is a provider panic.
 *   `examples/examples_test.go`, `TestAccExampleResources`: `GetAuthorizationProducts()` and
 *   `*productEntities.Total`, `*productEntities.Entities`, `*product.Id` (to skip the examples
 *   whose products the organization lacks); `TestAccExampleResourcesAudit`: `GetOrganizationsMe()`
 *   and `*organization.ThirdPartyOrgName`.
 * - The JavaScript SDK's README (node_modules/purecloud-platform-client-v2/README.md, "Making
 *   Requests", Node.js): `loginClientCredentialsGrant` then `getAuthorizationPermissions()`. This
 *   one is run, with the real SDK.
 * - The Python SDK's README (MyPureCloud/platform-client-sdk-python, "Client Credentials Grant"):
 *   `ApiClient().get_client_credentials_token(id, secret)` (POST /oauth/token, Basic,
 *   grant_type=client_credentials), then `AuthorizationApi(apiclient).get_authorization_permissions()`
 *   (GET /api/v2/authorization/permissions, no parameter), printed whole.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { systemClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { listenForSdk, sdkClientFor } from '../helpers/genesys-sdk.js';
import { READAPI_SEED_FILE, services } from '../helpers/readapi-fixture.js';
import { GO_SDK_HEADERS, type ToolWire, toolWire } from '../helpers/replay-wire.js';

let t: TestApp;
let port: number;
/** As the Go SDK (and the Python SDK's get_client_credentials_token) asks for a token and calls the API. */
let go: ToolWire;
before(async () => {
  t = await startTestApp({ clock: systemClock as never, seedFile: READAPI_SEED_FILE });
  port = await listenForSdk(t);
  go = toolWire(`http://127.0.0.1:${port}`, GO_SDK_HEADERS);
});
after(() => t.close());

test('Terraform provider configure(): client credentials, GET /organizations/me, then the examples test GET /authorization/products', async () => {
  // Terraform's OAuth client needs no permission for either read (the SDK reference asks none).
  const token = await go.clientCredentials(services.bare);

  const organization = await go.ok('/api/v2/organizations/me', token);
  assert.equal(typeof organization.defaultCountryCode, 'string', 'configure() dereferences DefaultCountryCode');
  assert.equal(typeof organization.thirdPartyOrgName, 'string', 'TestAccExampleResourcesAudit dereferences ThirdPartyOrgName');
  assert.equal(typeof organization.id, 'string');

  const products = await go.ok('/api/v2/authorization/products', token);
  assert.equal(products.total, 1, 'make([]string, *productEntities.Total)');
  assert.deepEqual(products.entities, [{ id: 'collaborateFree' }], 'range *productEntities.Entities, *product.Id');
});

test("the JavaScript SDK README's first call, run: loginClientCredentialsGrant, then getAuthorizationPermissions()", async () => {
  const client = sdkClientFor(port);
  await client.loginClientCredentialsGrant(services.bare.id, services.bare.secret);
  const permissions = await new platformClient.AuthorizationApi(client).getAuthorizationPermissions();
  assert.equal(permissions.pageNumber, 1);
  assert.ok((permissions.total ?? 0) > 0 && permissions.entities?.length === permissions.total);
  assert.ok(permissions.entities?.every((collection) => collection.domain === collection.id && Object.keys(collection.permissionMap ?? {}).length > 0));
});

test("the Python SDK README's first call: client credentials, then GET /authorization/permissions with no parameter", async () => {
  const token = await go.clientCredentials(services.bare);
  const permissions = await go.ok('/api/v2/authorization/permissions', token);
  assert.deepEqual([permissions.pageSize, permissions.pageNumber, permissions.pageCount], [25, 1, 1]);
  assert.ok(Array.isArray(permissions.entities) && permissions.entities.length === permissions.total);
});
