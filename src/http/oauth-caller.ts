/**
 * The head that `/oauth/introspect` and `/oauth/revoke` share: the `token` the form names, then
 * the calling client (core/client-caller.ts). The token is read first, as grant_type is at
 * `/oauth/token`: a request that cannot be answered starts no slow hash and counts no attempt.
 * `token_type_hint` is only a hint (RFC 7662 §2.1, RFC 7009 §2.1): it is never read.
 */
import type { FastifyRequest } from 'fastify';
import { authenticateCaller, type CallerRule } from '../core/client-caller.js';
import { oauthErrors } from '../core/errors.js';
import type { Client } from '../core/models.js';
import type { Services } from '../core/services.js';

type CallerServices = Pick<Services, 'clients' | 'directory'>;
type FormRequest = FastifyRequest<{ Body: Record<string, string> }>;

/** Under a rule with `nobodyWithoutSecret`, the caller is null for a `client_id` sent without a secret that names no public client (client-caller.ts). */
export async function tokenAndCaller(
  services: CallerServices,
  request: FormRequest,
  rule: CallerRule & { nobodyWithoutSecret: true },
): Promise<{ token: string; caller: Client | null }>;
export async function tokenAndCaller(
  services: CallerServices,
  request: FormRequest,
  rule: CallerRule & { nobodyWithoutSecret: false },
): Promise<{ token: string; caller: Client }>;
export async function tokenAndCaller(services: CallerServices, request: FormRequest, rule: CallerRule): Promise<{ token: string; caller: Client | null }> {
  const form = request.body ?? {};
  const token = form.token;
  if (token === undefined || token === '') throw oauthErrors.invalidRequest('missing required parameter: token');
  const caller = await authenticateCaller(
    services,
    { form, authorization: request.headers.authorization, address: request.ip },
    rule as CallerRule & { nobodyWithoutSecret: true },
  );
  // The access line names a client only once it proved itself: a secret did; a public client's
  // `client_id` alone is merely sent (/oauth/revoke names it once one of its tokens ended).
  if (caller !== null && caller.secretHash !== null) request.authenticatedClientId = caller.id;
  return { token, caller };
}
