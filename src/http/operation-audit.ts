/**
 * The audit line of an `/api/v2` operation (core/audit.ts), written by the operation's route
 * (api-operation.ts) for every operation of the table that changes something: who called, what
 * they acted on (path ids, the id of what a POST made; never a body), and how it ended.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuditActor, type AuditTrail, resultOfStatus } from '../core/audit.js';
import type { Operation } from '../core/operations/operation.js';
import type { Principal } from '../core/principal.js';

/** Who called: the token the bearer hook admitted or refused. */
function actorOf(principal: Principal): AuditActor {
  return { kind: 'token', clientId: principal.client.id, userId: principal.user?.id ?? null, organizationId: principal.organization.id };
}

/** What a request acted on: its path parameters, and the id of what it created. Ids only, never a body. */
function targetOf(request: FastifyRequest, created: string | undefined): Record<string, string> {
  const target: Record<string, string> = { ...(request.params as Record<string, string> | undefined) };
  if (created !== undefined) target.id = created;
  return target;
}

/** The `code` of an ErrorBody; nothing for an answer that is not one (a hook must never throw). */
function errorCodeOf(payload: string): string | undefined {
  try {
    const code = (JSON.parse(payload) as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The audit line of a changing operation: written once the answer is sent, so a refusal by the
 * bearer hook (a scope, a person, a permission), the schema or the act is written as surely as
 * a success. A request without a valid token writes none.
 */
export class OperationAudit {
  readonly #operation: Operation;
  readonly #audit: AuditTrail;
  readonly #codes = new WeakMap<FastifyRequest, string>();
  readonly #created = new WeakMap<FastifyRequest, string>();

  constructor(operation: Operation, audit: AuditTrail) {
    this.#operation = operation;
    this.#audit = audit;
  }

  /** The id of an entity a POST made, from the body it answers. */
  answered(request: FastifyRequest, body: unknown): void {
    if (this.#operation.method !== 'POST' || typeof body !== 'object' || body === null) return;
    const id = (body as { id?: unknown }).id;
    if (typeof id === 'string') this.#created.set(request, id);
  }

  readonly hooks = {
    // The refusal's code, from the ErrorBody it answers (a schema's, the bearer hook's and the act's alike).
    onSend: async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      if (reply.statusCode >= 400 && typeof payload === 'string') {
        const code = errorCodeOf(payload);
        if (code !== undefined) this.#codes.set(request, code);
      }
      return payload;
    },
    onResponse: async (request: FastifyRequest, reply: FastifyReply) => {
      // A request no token vouched for is nobody's action: its access line is its record, and
      // what it put in the path (anything at all) stays out of the log.
      if (!request.principal) return;
      const code = this.#codes.get(request);
      this.#audit.record({
        action: this.#operation.id,
        actor: actorOf(request.principal),
        target: targetOf(request, this.#created.get(request)),
        result: resultOfStatus(reply.statusCode),
        status: reply.statusCode,
        ...(code === undefined ? {} : { code }),
      });
    },
  };
}
