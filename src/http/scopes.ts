/**
 * The routes, in encapsulated scopes by the shape of their errors (CONTRACT.md): the Genesys API
 * under /api/v2 answers an ErrorBody, the OAuth endpoints the OAuth error JSON (RFC 6749 §5.2),
 * the pages a page a person reads. Each scope sets its error handler; the root's hooks, body
 * parsers and validator apply in every scope, since a scope inherits what its parent had when it
 * was registered (and adds nothing back). The root answers an ErrorBody: unknown routes (an
 * unknown `/oauth/...` path too), and the service's own endpoints registered on it here.
 */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Operation } from '../core/operations/operation.js';
import { operationRoutes } from './api-operation.js';
import type { AdmissionHook } from './bearer.js';
import { corsPreflight } from './cors.js';
import { errorBodyHandler, oauthErrorHandler } from './error-handler.js';
import { metricsRoute } from './metrics/endpoint.js';
import { pageErrorHandler } from './pages/page-errors.js';
import { accountRoutes } from './routes/account.js';
import { assetRoutes } from './routes/assets.js';
import { homeRoutes } from './routes/home.js';
import { consentRoutes } from './routes/consent.js';
import { authorizationPermissionsRoutes } from './routes/authorization-permissions.js';
import { authorizationProductsRoutes } from './routes/authorization-products.js';
import { authorizationRoleUsersRoutes } from './routes/authorization-role-users.js';
import { authorizationRoleWritesRoutes } from './routes/authorization-role-writes.js';
import { authorizationRolesRoutes } from './routes/authorization-roles.js';
import type { RouteDeps } from './routes/deps.js';
import { divisionsRoutes } from './routes/divisions.js';
import { divisionsHomeRoutes } from './routes/divisions-home.js';
import { groupMembersRoutes } from './routes/group-members.js';
import { groupsRoutes } from './routes/groups.js';
import { groupsSearchRoutes } from './routes/groups-search.js';
import { healthRoutes } from './routes/health.js';
import { identityProvidersRoutes } from './routes/identity-providers.js';
import { loginRoutes } from './routes/login.js';
import { logoutRoutes } from './routes/logout.js';
import { oauthAuthorizeRoutes } from './routes/oauth-authorize.js';
import { oauthAuthorizationsRoutes } from './routes/oauth-authorizations.js';
import { oauthClientUsageRoutes } from './routes/oauth-client-usage.js';
import { oauthClientsRoutes } from './routes/oauth-clients.js';
import { oauthIntrospectRoutes } from './routes/oauth-introspect.js';
import { oauthMetadataRoutes } from './routes/oauth-metadata.js';
import { oauthRevokeRoutes } from './routes/oauth-revoke.js';
import { oauthScopesRoutes } from './routes/oauth-scopes.js';
import { oauthTokenRoutes } from './routes/oauth-token.js';
import { openApiRoutes } from './routes/openapi.js';
import { organizationAuthSettingsRoutes } from './routes/organization-auth-settings.js';
import { organizationsMeRoutes } from './routes/organizations-me.js';
import { tokensMeRoutes } from './routes/tokens-me.js';
import { tokensTimeoutRoutes } from './routes/tokens-timeout.js';
import { tokensUserRoutes } from './routes/tokens-user.js';
import { userPasswordsRoutes } from './routes/user-passwords.js';
import { subjectsRoutes } from './routes/subjects.js';
import { userRolesRoutes } from './routes/user-roles.js';
import { usersRoutes } from './routes/users.js';
import { usersMeRoutes } from './routes/users-me.js';
import { usersSearchRoutes } from './routes/users-search.js';
import { type TestControls, testControlRoutes } from './routes/test-controls.js';

export interface ScopeDeps extends RouteDeps {
  /** The bearer hook of one operation (bearer.ts). */
  admit: (operation: Operation) => AdmissionHook;
  bodyLimit: number;
  /** The configured public URL, the metadata's `issuer`. */
  issuer: string;
  metricsRegistry: Registry;
  metricsToken: string | undefined;
  /** The test clock and faults, with `TOKEND_TEST_CONTROLS=1`; null otherwise, and their paths are unknown. */
  testControls: TestControls | null;
}

/** Registers every route, in its scope; the root's hooks and handlers must be in place before. */
export async function registerScopes(app: FastifyInstance, deps: ScopeDeps): Promise<void> {
  await app.register(async function genesysApi(api) {
    api.setErrorHandler(errorBodyHandler(deps.bodyLimit));
    corsPreflight(api, 'api');
    const { services } = deps;
    // Each operation's requirements come from the table (core/operations/table.ts); each door gets only the services it uses.
    const operation = operationRoutes(api, deps.admit, (principal) => services.authenticator.touch(principal), services.audit);
    tokensMeRoutes(operation, { authenticator: services.authenticator });
    tokensUserRoutes(operation, { authenticator: services.authenticator, directory: services.directory });
    tokensTimeoutRoutes(operation, { idleTimeouts: services.idleTimeouts });
    organizationsMeRoutes(operation, { organizations: services.organizations });
    organizationAuthSettingsRoutes(operation, { authSettings: services.authSettings });
    const userServices = { users: services.users, groups: services.groups, permissions: services.permissions };
    usersMeRoutes(operation, { ...userServices, now: () => services.clock.now() });
    usersRoutes(operation, userServices);
    usersSearchRoutes(operation, userServices);
    userRolesRoutes(operation, userServices);
    userPasswordsRoutes(operation, userServices);
    authorizationRolesRoutes(operation, { roles: services.roles });
    authorizationRoleWritesRoutes(operation, { roles: services.roles, permissions: services.permissions });
    authorizationRoleUsersRoutes(operation, { ...userServices, roles: services.roles, roleHolders: services.roleHolders });
    divisionsHomeRoutes(operation, { divisions: services.divisions });
    divisionsRoutes(operation, { divisions: services.divisions });
    subjectsRoutes(operation, { grants: services.grants, permissions: services.permissions });
    authorizationProductsRoutes(operation);
    authorizationPermissionsRoutes(operation, { permissionCatalogue: services.permissionCatalogue });
    oauthScopesRoutes(operation);
    oauthClientsRoutes(operation, { directory: services.directory, permissions: services.permissions, clientAdmin: services.clientAdmin });
    oauthClientUsageRoutes(operation, { clientAdmin: services.clientAdmin, clientUsage: services.clientUsage, clock: services.clock });
    oauthAuthorizationsRoutes(operation, { consent: services.consent });
    const groupServices = { groups: services.groups, permissions: services.permissions };
    groupsRoutes(operation, groupServices);
    groupMembersRoutes(operation, groupServices);
    groupsSearchRoutes(operation, groupServices);
    identityProvidersRoutes(operation, { identityProviders: services.identityProviders, permissions: services.permissions });
    openApiRoutes(api);
  });

  await app.register(async function oauthEndpoints(oauth) {
    oauth.setErrorHandler(oauthErrorHandler(deps.bodyLimit));
    corsPreflight(oauth, 'oauth');
    for (const routes of [oauthTokenRoutes, oauthIntrospectRoutes, oauthRevokeRoutes]) routes(oauth, deps);
  });

  // `/oauth/authorize` is a page: a person reads its refusals (or the client gets them back by redirect).
  await app.register(async function pageRoutes(pages) {
    pages.setErrorHandler(pageErrorHandler);
    for (const routes of [homeRoutes, oauthAuthorizeRoutes, loginRoutes, consentRoutes, logoutRoutes, accountRoutes]) routes(pages, deps);
  });

  // The service's own endpoints, on the root: its ErrorBody handler answers their errors.
  healthRoutes(app, deps);
  oauthMetadataRoutes(app, deps.issuer);
  corsPreflight(app, 'metadata');
  assetRoutes(app);
  metricsRoute(app, deps.metricsRegistry, deps.metricsToken);
  if (deps.testControls !== null) await testControlRoutes(app, deps.testControls, deps.bodyLimit);
}
