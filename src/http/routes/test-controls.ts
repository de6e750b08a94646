/**
 * The test controls under `/api/v2/tokend/test/` (CONTRACT.md, "A clock and faults for tests"),
 * registered only when the server starts with `TOKEND_TEST_CONTROLS=1`. Outside the table of
 * operations, the bearer hook, the rate limits and the OpenAPI document. Who may call:
 * - with `TOKEND_TEST_CONTROLS_TOKEN` set, a caller sending it as a bearer, loopback included;
 * - without it, a loopback caller whose request came through no proxy (proxy-headers.ts).
 * Anyone else gets the 404 of an unknown path, as when the controls are off.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, errors } from '../../core/errors.js';
import { MAX_OFFSET_SECONDS, type ClockReading, type TestClock } from '../../core/test-clock.js';
import { bearerToken } from '../bearer.js';
import { errorBodyHandler } from '../error-handler.js';
import { isLoopback } from '../metrics/endpoint.js';
import { cameThroughProxy } from '../proxy-headers.js';
import { FAULT_STATUSES, type FaultList, type FaultSpec, type FaultStatus, faultView, MAX_DELAY_MS, MAX_FAULTS } from '../test-controls/faults.js';
import { TEST_CONTROLS_PREFIX } from '../test-controls/fault-hook.js';

export interface TestControls {
  testClock: TestClock;
  faults: FaultList;
  /** `TOKEND_TEST_CONTROLS_TOKEN`: every caller must send it; none, loopback callers only. */
  token: string | undefined;
  /** A delay must end below it, or node would cut the request off first. */
  requestTimeoutMs: number;
}

const Advance = Type.Object({ seconds: Type.Number({ exclusiveMinimum: 0, maximum: MAX_OFFSET_SECONDS }) }, { additionalProperties: false });

const FaultBody = Type.Object(
  {
    match: Type.Object(
      {
        method: Type.Optional(Type.String({ pattern: '^[A-Za-z]{1,16}$' })),
        path: Type.Optional(Type.String({ pattern: '^/', maxLength: 500 })),
        clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      },
      { additionalProperties: false },
    ),
    respond: Type.Object(
      {
        status: Type.Optional(Type.Integer()),
        retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
        delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_DELAY_MS })),
      },
      { additionalProperties: false },
    ),
    times: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);
type FaultInput = Static<typeof FaultBody>;

const digest = (value: string) => createHash('sha256').update(value).digest();

function invalid(field: string, message: string): ApiError {
  return new ApiError(400, 'invalid.value', `${field} ${message}`, { details: [{ errorCode: 'invalid.value', fieldName: field }] });
}

function clockBody(reading: ClockReading) {
  return { now: new Date(reading.now).toISOString(), offsetSeconds: reading.offsetSeconds };
}

/** The checks the schema cannot make: a status of the list, a delay below the request timeout, something to do. */
function faultSpec(body: FaultInput, requestTimeoutMs: number): FaultSpec {
  const { status, retryAfterSeconds, delayMs } = body.respond;
  if (status !== undefined && !(FAULT_STATUSES as readonly number[]).includes(status))
    throw invalid('respond.status', `must be one of ${FAULT_STATUSES.join(', ')}`);
  if (delayMs !== undefined && delayMs >= requestTimeoutMs) throw invalid('respond.delayMs', `must be below the request timeout (${requestTimeoutMs} ms)`);
  if (status === undefined && delayMs === undefined) throw invalid('respond', 'must give a status, a delayMs, or both');
  const match = { ...body.match, ...(body.match.method === undefined ? {} : { method: body.match.method.toUpperCase() }) };
  return {
    match,
    respond: {
      ...(status === undefined ? {} : { status: status as FaultStatus }),
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      ...(delayMs === undefined ? {} : { delayMs }),
    },
    times: body.times ?? 1,
    probability: body.probability ?? 1,
  };
}

function refusal(token: string | undefined): (request: FastifyRequest) => boolean {
  if (token !== undefined) {
    // Compared as SHA-256 digests: equal lengths for timingSafeEqual, and the time tells nothing of the token.
    const expected = digest(token);
    return (request) => {
      const sent = bearerToken(request.headers.authorization);
      return sent === null || !timingSafeEqual(digest(sent), expected);
    };
  }
  return (request) => !isLoopback(request.socket.remoteAddress) || cameThroughProxy(request.headers);
}

export async function testControlRoutes(app: FastifyInstance, controls: TestControls, bodyLimit: number): Promise<void> {
  const { testClock, faults, requestTimeoutMs } = controls;
  const refused = refusal(controls.token);
  await app.register(async function testControlsScope(scope) {
    scope.setErrorHandler(errorBodyHandler(bodyLimit));
    scope.addHook('onRequest', async (request) => {
      if (refused(request)) throw errors.notFound();
    });
    const at = (path: string) => `${TEST_CONTROLS_PREFIX}${path}`;
    const hide = { hide: true };

    scope.get(at('clock'), { schema: hide }, async () => clockBody(testClock.read()));
    scope.post<{ Body: Static<typeof Advance> }>(at('clock/advance'), { schema: { ...hide, body: Advance } }, async (request) => {
      if (request.body === undefined) throw invalid('seconds', 'is required');
      return clockBody(await testClock.advance(request.body.seconds));
    });
    scope.post(at('clock/reset'), { schema: hide }, async () => clockBody(await testClock.reset()));

    scope.post<{ Body: FaultInput }>(at('faults'), { schema: { ...hide, body: FaultBody } }, async (request, reply) => {
      if (request.body === undefined) throw new ApiError(400, 'bad.request', 'The request body is required: a fault.');
      const fault = faults.add(faultSpec(request.body, requestTimeoutMs));
      if (fault === null) throw new ApiError(400, 'bad.request', `At most ${MAX_FAULTS} faults are kept at once: delete some first.`);
      return reply.code(201).send(faultView(fault));
    });
    scope.get(at('faults'), { schema: hide }, async () => ({ entities: faults.list().map(faultView) }));
    scope.delete(at('faults'), { schema: hide }, async (_request, reply) => {
      faults.clear();
      return reply.code(204).send();
    });
    scope.delete<{ Params: { id: string } }>(at('faults/:id'), { schema: hide }, async (request, reply) => {
      if (!faults.remove(request.params.id)) throw errors.notFound('No such fault.', request.params.id);
      return reply.code(204).send();
    });
  });
}
