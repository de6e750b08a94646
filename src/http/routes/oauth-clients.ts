/**
 * The OAuth clients API (`OAuthApi`: getOauthClients, postOauthClients, getOauthClient,
 * putOauthClient, deleteOauthClient, postOauthClientSecret; CONTRACT.md, "Control plane").
 * What each requires is the table of operations' (core/operations/table.ts); each route is one
 * admin-core action and its answer. Another organization's client is 404, as an unknown one; then
 * a client with a role the caller does not hold is 403 for every change (admin/role-grants.ts).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { errors } from '../../core/errors.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { CLIENTS_PATH, renderClient } from '../oauth-clients/render.js';
import { wholeListing } from '../page-listing.js';
import { actorOf, draftOf, requireBody } from '../oauth-clients/request.js';
import {
  ClientIdParamsSchema,
  OAuthClientEntityListingSchema,
  type OAuthClientRequest,
  OAuthClientRequestSchema,
  OAuthClientSchema,
  OAuthClientWithSecretSchema,
} from '../oauth-clients/schemas.js';
import { apiErrorResponses } from '../schemas.js';
import type { RouteServices } from './deps.js';

const notFound = (id: string) => errors.notFound('OAuth client not found.', id);

export function oauthClientsRoutes(
  operation: DefineOperation,
  { directory, permissions, clientAdmin: admin }: Pick<RouteServices, 'directory' | 'permissions' | 'clientAdmin'>,
): void {
  // This node's caches drop what a write changed (services.ts); other nodes learn it from the store (NOTIFY, data_version).
  const organizationOf = (request: FastifyRequest) => principalOf(request).organization;
  const reachOf = (request: FastifyRequest) => ({ organizationId: organizationOf(request).id });
  /** 404 for a client out of reach, then 403 for one with a role the caller does not hold (the admin core checks again as it writes). */
  const reachToChange = async (request: FastifyRequest<{ Params: { clientId: string } }>) => {
    const { clientId } = request.params;
    if (!(await admin.findToChange(reachOf(request), clientId, await actorOf(permissions, principalOf(request))))) throw notFound(clientId);
  };

  // The SDK's getOauthClients takes no paging parameters: every client in one page, any sent ignored (CONTRACT.md).
  operation(OPERATIONS.getOauthClients, {
    description: 'Every client of the organization in one page, by name (pageSize = total, pageCount 1); paging parameters are ignored.',
    schema: { response: { 200: OAuthClientEntityListingSchema, ...apiErrorResponses(403) } },
    act: async (request) => {
      const clients = await admin.list(organizationOf(request).id);
      const listing = wholeListing(await Promise.all(clients.map((client) => renderClient(directory, client))));
      return { ...listing, firstUri: CLIENTS_PATH, selfUri: CLIENTS_PATH, lastUri: CLIENTS_PATH };
    },
  });

  operation<{ Body: OAuthClientRequest | undefined }>(OPERATIONS.postOauthClients, {
    description: 'The answer carries the generated secret: the only time it is shown.',
    schema: { body: OAuthClientRequestSchema, response: { 200: OAuthClientWithSecretSchema, ...apiErrorResponses(403, 413, 415) } },
    act: async (request) => {
      const principal = principalOf(request);
      const body = requireBody(request.body, request.headers);
      const { client, secret } = await admin.create(
        principal.organization,
        draftOf(body, principal.organization.homeDivisionId),
        await actorOf(permissions, principal),
      );
      return { ...(await renderClient(directory, client)), secret };
    },
  });

  operation<{ Params: { clientId: string } }>(OPERATIONS.getOauthClient, {
    schema: { params: ClientIdParamsSchema, response: { 200: OAuthClientSchema, ...apiErrorResponses(403, 404) } },
    act: async (request) => {
      const client = await admin.find(reachOf(request), request.params.clientId);
      if (!client) throw notFound(request.params.clientId);
      return renderClient(directory, client);
    },
  });

  operation<{ Params: { clientId: string }; Body: OAuthClientRequest | undefined }>(OPERATIONS.putOauthClient, {
    description:
      "Replaces the client's fields with the request's (a field left out takes its default), except `state` and `dateToDelete`, which stay when left out. A state other than active revokes the client's tokens.",
    schema: {
      params: ClientIdParamsSchema,
      body: OAuthClientRequestSchema,
      response: { 200: OAuthClientSchema, ...apiErrorResponses(403, 404, 413, 415) },
    },
    // An unknown client is 404, and a stronger one 403, before the body is judged.
    prepare: reachToChange,
    act: async (request) => {
      const principal = principalOf(request);
      const { clientId } = request.params;
      const body = requireBody(request.body, request.headers);
      const actor = await actorOf(permissions, principal);
      const updated = await admin.update(principal.organization, clientId, draftOf(body, principal.organization.homeDivisionId), actor);
      if (!updated) throw notFound(clientId);
      return renderClient(directory, updated.client);
    },
  });

  operation<{ Params: { clientId: string } }>(OPERATIONS.deleteOauthClient, {
    description: 'Removes the client and revokes its tokens and refresh tokens, on every node.',
    schema: { params: ClientIdParamsSchema, response: { 204: Type.Null(), ...apiErrorResponses(403, 404) } },
    act: async (request, reply) => {
      const actor = await actorOf(permissions, principalOf(request));
      if (!(await admin.delete(reachOf(request), request.params.clientId, actor))) throw notFound(request.params.clientId);
      return reply.code(204).send();
    },
  });

  operation<{ Params: { clientId: string } }>(OPERATIONS.postOauthClientSecret, {
    description: 'The answer carries the new secret, shown this once; the old secret is refused from now on.',
    schema: { params: ClientIdParamsSchema, response: { 200: OAuthClientWithSecretSchema, ...apiErrorResponses(403, 404) } },
    act: async (request) => {
      const principal = principalOf(request);
      const { clientId } = request.params;
      const regenerated = await admin.regenerateSecret(reachOf(request), clientId, await actorOf(permissions, principal));
      const client = regenerated && (await admin.find(reachOf(request), clientId));
      if (!regenerated || !client) throw notFound(clientId);
      return { ...(await renderClient(directory, client)), secret: regenerated.secret };
    },
  });
}
