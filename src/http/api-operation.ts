/**
 * An `/api/v2` route is its operation's schema, its act and its rendering; what it requires comes
 * from the table of operations (core/operations/table.ts), never from the route. Each route runs
 * the same named steps: admit (the bearer hook: token, rate limit, scope, person, permission,
 * before any body is read, so a caller without the right learns nothing about it), validate
 * (the schema), act (one call into core), restart the idle clock (only for an answered request,
 * CONTRACT.md "IdleTokenTimeout": a refusal or a 4xx moves nothing), render. An operation that
 * changes something writes its audit line once answered, whatever the answer (audit.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, RouteGenericInterface } from 'fastify';
import type { AuditTrail } from '../core/audit.js';
import { isAudited, type Operation, permissionsNamed } from '../core/operations/operation.js';
import { OperationAudit } from './operation-audit.js';
import type { Principal } from '../core/principal.js';
import { ALWAYS_GRANTED_SCOPE } from '../core/scopes.js';
import { type AdmissionHook, principalOf } from './bearer.js';
import { BearerSecurity } from './schemas.js';

export interface OperationSpec<G extends RouteGenericInterface, R> {
  /** Request and response schemas; the operation id, summary, tags and security come from the table. */
  schema?: Omit<FastifySchema, 'operationId' | 'summary' | 'tags' | 'security' | 'description'>;
  /** What the OpenAPI document says besides what the table says. */
  description?: string;
  /** Runs before the schema judges the request: shapes it (lists sent comma-joined), or refuses it first (an unknown entity is 404 before its body is judged). */
  prepare?: (request: FastifyRequest<G>) => void | Promise<void>;
  /** The operation itself, on an admitted and valid request. */
  act: (request: FastifyRequest<G>, reply: FastifyReply) => Promise<R> | R;
  /** The answer's body, once the idle clock moved (getTokensMe shows the new `dateTokenIdles`). */
  render?: (result: R, request: FastifyRequest<G>) => unknown;
}

export type DefineOperation = <G extends RouteGenericInterface = RouteGenericInterface, R = unknown>(operation: Operation, spec: OperationSpec<G, R>) => void;

/** Restarts a principal's idle clock (Authenticator.touch). */
export type Touch = (principal: Principal) => void;

/** The OpenAPI description: the route's words, then what the table requires. */
export function describeOperation(operation: Operation, extra?: string): string {
  const rule = operation.permissions;
  const permissions =
    rule === null ? 'Requires no permission.' : `Requires ${'any' in rule ? 'ANY' : 'ALL'} permissions: ${permissionsNamed(rule).join(', ')}.`;
  const scopes = operation.scopes.includes(ALWAYS_GRANTED_SCOPE) ? 'Any user token.' : `User tokens need scope ${operation.scopes.join(' or ')}.`;
  const person = operation.needsPerson ? ' Not valid with a client-credentials token (400 bad.request).' : '';
  return `${extra === undefined ? '' : `${extra} `}${permissions} ${scopes}${person}`;
}

const IDLE_WORDS: Record<Operation['idle'], string> = { restarts: 'yes', 'restarts-unless-preserved': 'yes, unless `preserveIdleTTL=true`', none: 'no' };

/**
 * docs/api.md's table of what each operation requires, written from the table of operations
 * (`npm run docs:operations` writes it; test/core/operations-docs.test.ts holds the page to it).
 */
export function operationsMarkdown(operations: readonly Operation[]): string {
  const code = (values: readonly string[]) => values.map((value) => `\`${value}\``).join(' or ');
  const rows = operations.map((operation) => {
    const rule = operation.permissions;
    const permissions = rule === null ? 'none' : `${'all' in rule ? 'all of ' : ''}${code(permissionsNamed(rule))}`;
    const scopes = operation.scopes.includes(ALWAYS_GRANTED_SCOPE) ? 'any user token' : code(operation.scopes);
    const path = operation.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const who = operation.needsPerson ? ' (never a client-credentials token)' : '';
    return `| ${operation.id} | \`${operation.method} ${path}\` | ${permissions} | ${scopes}${who} | ${IDLE_WORDS[operation.idle]} | ${operation.action} |`;
  });
  return ['| operation | request | permission | scope (user tokens) | restarts the idle clock | what it does |', '|---|---|---|---|---|---|', ...rows].join(
    '\n',
  );
}

function restartsIdleClock(operation: Operation, request: FastifyRequest): boolean {
  if (operation.idle === 'none') return false;
  if (operation.idle === 'restarts') return true;
  return (request.query as { preserveIdleTTL?: unknown } | undefined)?.preserveIdleTTL !== true;
}

/** Registers operations on `app`, each admitted by `admit(operation)` and answered as the table says. */
export function operationRoutes(app: FastifyInstance, admit: (operation: Operation) => AdmissionHook, touch: Touch, trail: AuditTrail): DefineOperation {
  return <G extends RouteGenericInterface, R>(operation: Operation, spec: OperationSpec<G, R>) => {
    // Typed by the spec's generic; Fastify's route typing cannot follow a generic through `app.route`.
    const typed = (request: FastifyRequest) => request as unknown as FastifyRequest<G>;
    const audit = isAudited(operation) ? new OperationAudit(operation, trail) : null;
    app.route({
      method: operation.method,
      url: operation.path,
      schema: {
        ...spec.schema,
        operationId: operation.id,
        summary: operation.summary,
        description: describeOperation(operation, spec.description),
        tags: [operation.api],
        security: BearerSecurity,
      },
      onRequest: admit(operation),
      ...(audit === null ? {} : audit.hooks),
      ...(spec.prepare === undefined ? {} : { preValidation: async (request: FastifyRequest) => await spec.prepare?.(typed(request)) }),
      handler: async (request, reply) => {
        const result = await spec.act(typed(request), reply);
        if (reply.statusCode < 400 && restartsIdleClock(operation, request)) touch(principalOf(request));
        const body = spec.render === undefined ? result : spec.render(result, typed(request));
        audit?.answered(request, body);
        return body;
      },
    });
  };
}
