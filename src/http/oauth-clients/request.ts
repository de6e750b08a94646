/** From an authenticated request to what the admin core takes: the caller as actor, the body as a draft. */
import type { Principal } from '../../core/principal.js';
import type { AdminActor, ClientDraft } from '../../core/admin/clients.js';
import { ApiError } from '../../core/errors.js';
import type { Permissions } from '../../core/permissions.js';
import type { OAuthClientRequest } from './schemas.js';

/** The calling user, or the client of a client-credentials token, with the permissions it may hand on (its scopes narrow a user's). */
export async function actorOf(permissions: Permissions, principal: Principal): Promise<AdminActor> {
  return { id: principal.user?.id ?? principal.client.id, grantor: { permissions: await permissions.grantable(principal) } };
}

/**
 * An `OAuthClientRequest` as a draft. The deprecated `roleIds` still work, each in the home
 * division, as Genesys reads them.
 */
export function draftOf(body: OAuthClientRequest, homeDivisionId: string): ClientDraft {
  const roleDivisions = [...(body.roleDivisions ?? []), ...(body.roleIds ?? []).map((roleId) => ({ roleId, divisionId: homeDivisionId }))];
  return {
    name: body.name,
    ...(body.description === undefined ? {} : { description: body.description }),
    authorizedGrantType: body.authorizedGrantType,
    roleDivisions,
    scope: body.scope ?? [],
    registeredRedirectUri: body.registeredRedirectUri ?? [],
    ...(body.accessTokenValiditySeconds === undefined ? {} : { accessTokenValiditySeconds: body.accessTokenValiditySeconds }),
    ...(body.state === undefined ? {} : { state: body.state as ClientDraft['state'] & string }),
    ...(body.dateToDelete === undefined ? {} : { dateToDelete: Date.parse(body.dateToDelete) }),
  };
}

/** A write without a body: 415 when one was sent without a type, else 400 (tokens-timeout.ts does the same). */
export function requireBody<T>(body: T | undefined, headers: Record<string, string | string[] | undefined>): T {
  if (body !== undefined) return body;
  if (headers['content-type'] === undefined && Number(headers['content-length'] ?? 0) > 0) {
    throw new ApiError(415, 'unsupported.media.type', 'The request body must be application/json.');
  }
  throw new ApiError(400, 'bad.request', 'The request body is required: an OAuthClientRequest object.');
}
