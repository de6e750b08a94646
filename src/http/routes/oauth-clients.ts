/**
 * The OAuth clients API (`OAuthApi`: getOauthClients, postOauthClients, getOauthClient,
 * putOauthClient, deleteOauthClient, postOauthClientSecret; CONTRACT.md, "Control plane").
 * Each route: authenticate, then the app's scope and the caller's permission before the body is
 * read (a caller without the right learns nothing about it), then one admin-core action, then
 * the answer. Another organization's client is 404, as an unknown one; then a client with a role
 * the caller does not hold is 403 for every change (admin/role-grants.ts).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '../../core/errors.js';
import { requireScope } from '../../core/scopes.js';
import { principalOf } from '../bearer.js';
import { CLIENTS_PATH, renderClient } from '../oauth-clients/render.js';
import { pageLinks } from '../page-listing.js';
import { actorOf, draftOf, requireBody } from '../oauth-clients/request.js';
import {
  ClientIdParamsSchema,
  OAuthClientEntityListingSchema,
  type OAuthClientRequest,
  OAuthClientRequestSchema,
  OAuthClientSchema,
  OAuthClientWithSecretSchema,
  PAGE_SIZE,
  PagingQuerySchema,
} from '../oauth-clients/schemas.js';
import { apiErrorResponses, BearerSecurity } from '../schemas.js';
import type { RouteDeps } from './deps.js';

export const CLIENT_PERMISSIONS = { view: 'oauth:client:view', add: 'oauth:client:add', edit: 'oauth:client:edit', delete: 'oauth:client:delete' } as const;
/** The scope a user token's app needs (CONTRACT.md; `oauth:readonly` for GET, scopes.ts). */
export const CLIENTS_SCOPE = 'oauth';

const tags = ['OAuth'];
const notFound = (id: string) => errors.notFound('OAuth client not found.', id);

export function oauthClientsRoutes(app: FastifyInstance, { services, authenticate }: RouteDeps): void {
  // This node's caches drop what a write changed (services.ts); other nodes learn it from the store (NOTIFY, data_version).
  const { authenticator, directory, permissions, clientAdmin: admin } = services;
  const authorize = (permission: string) => async (request: FastifyRequest) => {
    const principal = principalOf(request);
    requireScope(principal, CLIENTS_SCOPE, request.method);
    await permissions.requireAny(principal, [permission]);
    authenticator.touch(principal);
  };
  const organizationOf = (request: FastifyRequest) => principalOf(request).organization;
  const reachOf = (request: FastifyRequest) => ({ organizationId: organizationOf(request).id });
  /** 404 for a client out of reach, then 403 for one with a role the caller does not hold (the admin core checks again as it writes). */
  const reachToChange = async (request: FastifyRequest<{ Params: { clientId: string } }>) => {
    const { clientId } = request.params;
    if (!(await admin.findToChange(reachOf(request), clientId, await actorOf(permissions, principalOf(request))))) throw notFound(clientId);
  };

  app.get<{ Querystring: { pageSize?: number; pageNumber?: number } }>(
    '/api/v2/oauth/clients',
    {
      schema: {
        operationId: 'getOauthClients',
        summary: 'The list of OAuth clients',
        tags,
        security: BearerSecurity,
        querystring: PagingQuerySchema,
        response: { 200: OAuthClientEntityListingSchema, ...apiErrorResponses(403) },
      },
      onRequest: authenticate,
      preValidation: authorize(CLIENT_PERMISSIONS.view),
    },
    async (request) => {
      const { pageSize = PAGE_SIZE.default, pageNumber = 1 } = request.query;
      const organizationId = organizationOf(request).id;
      const [clients, total] = await admin.page(organizationId, (pageNumber - 1) * pageSize, pageSize);
      return {
        entities: await Promise.all(clients.map((client) => renderClient(directory, client))),
        ...pageLinks(CLIENTS_PATH, { pageSize, pageNumber }, total),
      };
    },
  );

  app.post<{ Body: OAuthClientRequest | undefined }>(
    '/api/v2/oauth/clients',
    {
      schema: {
        operationId: 'postOauthClients',
        summary: 'Create OAuth client',
        description: 'The answer carries the generated secret: the only time it is shown.',
        tags,
        security: BearerSecurity,
        body: OAuthClientRequestSchema,
        response: { 200: OAuthClientWithSecretSchema, ...apiErrorResponses(403, 413, 415) },
      },
      onRequest: authenticate,
      preValidation: authorize(CLIENT_PERMISSIONS.add),
    },
    async (request) => {
      const principal = principalOf(request);
      const body = requireBody(request.body, request.headers);
      const { client, secret } = await admin.create(
        principal.organization,
        draftOf(body, principal.organization.homeDivisionId),
        await actorOf(permissions, principal),
      );
      return { ...(await renderClient(directory, client)), secret };
    },
  );

  app.get<{ Params: { clientId: string } }>(
    '/api/v2/oauth/clients/:clientId',
    {
      schema: {
        operationId: 'getOauthClient',
        summary: 'Get OAuth Client',
        tags,
        security: BearerSecurity,
        params: ClientIdParamsSchema,
        response: { 200: OAuthClientSchema, ...apiErrorResponses(403, 404) },
      },
      onRequest: authenticate,
      preValidation: authorize(CLIENT_PERMISSIONS.view),
    },
    async (request) => {
      const client = await admin.find(reachOf(request), request.params.clientId);
      if (!client) throw notFound(request.params.clientId);
      return renderClient(directory, client);
    },
  );

  app.put<{ Params: { clientId: string }; Body: OAuthClientRequest | undefined }>(
    '/api/v2/oauth/clients/:clientId',
    {
      schema: {
        operationId: 'putOauthClient',
        summary: 'Update OAuth Client',
        description:
          "Replaces the client's fields with the request's (a field left out takes its default), except `state` and `dateToDelete`, which stay when left out. A state other than active revokes the client's tokens.",
        tags,
        security: BearerSecurity,
        params: ClientIdParamsSchema,
        body: OAuthClientRequestSchema,
        response: { 200: OAuthClientSchema, ...apiErrorResponses(403, 404, 413, 415) },
      },
      onRequest: authenticate,
      // An unknown client is 404, and a stronger one 403, before the body is judged.
      preValidation: [authorize(CLIENT_PERMISSIONS.edit), reachToChange],
    },
    async (request) => {
      const principal = principalOf(request);
      const { clientId } = request.params;
      const body = requireBody(request.body, request.headers);
      const actor = await actorOf(permissions, principal);
      const updated = await admin.update(principal.organization, clientId, draftOf(body, principal.organization.homeDivisionId), actor);
      if (!updated) throw notFound(clientId);
      return renderClient(directory, updated.client);
    },
  );

  app.delete<{ Params: { clientId: string } }>(
    '/api/v2/oauth/clients/:clientId',
    {
      schema: {
        operationId: 'deleteOauthClient',
        summary: 'Delete OAuth Client',
        description: 'Removes the client and revokes its tokens and refresh tokens, on every node.',
        tags,
        security: BearerSecurity,
        params: ClientIdParamsSchema,
        response: { 204: Type.Null(), ...apiErrorResponses(403, 404) },
      },
      onRequest: authenticate,
      preValidation: authorize(CLIENT_PERMISSIONS.delete),
    },
    async (request, reply) => {
      const actor = await actorOf(permissions, principalOf(request));
      if (!(await admin.delete(reachOf(request), request.params.clientId, actor))) throw notFound(request.params.clientId);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { clientId: string } }>(
    '/api/v2/oauth/clients/:clientId/secret',
    {
      schema: {
        operationId: 'postOauthClientSecret',
        summary: 'Regenerate Client Secret',
        description: 'The answer carries the new secret, shown this once; the old secret is refused from now on.',
        tags,
        security: BearerSecurity,
        params: ClientIdParamsSchema,
        response: { 200: OAuthClientWithSecretSchema, ...apiErrorResponses(403, 404) },
      },
      onRequest: authenticate,
      preValidation: authorize(CLIENT_PERMISSIONS.edit),
    },
    async (request) => {
      const principal = principalOf(request);
      const { clientId } = request.params;
      const regenerated = await admin.regenerateSecret(reachOf(request), clientId, await actorOf(permissions, principal));
      const client = regenerated && (await admin.find(reachOf(request), clientId));
      if (!regenerated || !client) throw notFound(clientId);
      return { ...(await renderClient(directory, client)), secret: regenerated.secret };
    },
  );
}
