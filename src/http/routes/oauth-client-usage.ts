/**
 * OAuth client usage (`OAuthApi`: postOauthClientUsageQuery, getOauthClientUsageQueryResult,
 * getOauthClientUsageSummary), from tokend's own per-client request counts (core/client-usage.ts).
 * A query or a summary answers 202 with an execution whose results are computed when read, from
 * the store (core/usage-query.ts): any node answers any execution, and none keeps them. Another
 * organization's client is 404, as an unknown one.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { errors } from '../../core/errors.js';
import { OPERATIONS } from '../../core/operations/table.js';
import {
  DIMENSIONS,
  encodeExecution,
  GRANULARITIES,
  METRICS,
  type UsageExecution,
  type UsageQuery,
  decodeExecution,
  parseInterval,
  utcDay,
} from '../../core/usage-query.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { ClientIdParamsSchema } from '../oauth-clients/schemas.js';
import { requireBody } from '../request-body.js';
import { apiErrorResponses } from '../schemas.js';
import type { RouteServices } from './deps.js';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)));

const ApiUsageClientQuerySchema = Type.Object(
  {
    interval: Type.String({ maxLength: 100, description: 'ISO-8601 start/end; usage is kept by UTC day, for 30 days: days outside are empty' }),
    granularity: Type.Optional(literals(GRANULARITIES)),
    metrics: Type.Optional(Type.Array(literals(METRICS), { maxItems: METRICS.length, description: 'All when left out' })),
    groupBy: Type.Optional(Type.Array(literals(DIMENSIONS), { maxItems: DIMENSIONS.length })),
  },
  { additionalProperties: false, title: 'ApiUsageClientQuery' },
);

const UsageExecutionResultSchema = Type.Object({ executionId: Type.String(), resultsUri: Type.String() }, { title: 'UsageExecutionResult' });

const count = Type.Optional(Type.Integer({ minimum: 0 }));
const ApiUsageQueryResultSchema = Type.Object(
  {
    results: Type.Array(
      Type.Object(
        {
          clientId: Type.Optional(Type.String()),
          clientName: Type.Optional(Type.String()),
          organizationId: Type.Optional(Type.String()),
          userId: Type.Optional(Type.String()),
          templateUri: Type.Optional(Type.String()),
          httpMethod: Type.Optional(Type.String()),
          status200: count,
          status300: count,
          status400: count,
          status500: count,
          status429: count,
          requests: count,
          date: Type.Optional(Type.String({ description: 'The start of the row day, week (Monday) or month, with a granularity' })),
        },
        { title: 'ApiUsageRow' },
      ),
    ),
    queryStatus: Type.String({ enum: ['Complete'] }),
  },
  { title: 'ApiUsageQueryResult' },
);

const ExecutionParamsSchema = Type.Object({ clientId: Type.String(), executionId: Type.String({ maxLength: 1000 }) });
const SummaryQuerySchema = Type.Object({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, default: 7, description: 'Previous number of days to query' })),
});

const DAY_MS = 86_400_000;
const resultsUri = (clientId: string, executionId: string) => `/api/v2/oauth/clients/${clientId}/usage/query/results/${executionId}`;

export function oauthClientUsageRoutes(
  operation: DefineOperation,
  { clientAdmin, clientUsage, clock }: Pick<RouteServices, 'clientAdmin' | 'clientUsage' | 'clock'>,
): void {
  /** The client of the path, of the caller's organization; 404 otherwise. */
  const clientOf = async (request: FastifyRequest<{ Params: { clientId: string } }>) => {
    const { clientId } = request.params;
    const client = await clientAdmin.find({ organizationId: principalOf(request).organization.id }, clientId);
    if (!client) throw errors.notFound('OAuth client not found.', clientId);
    return client;
  };
  const started = (execution: UsageExecution) => {
    const executionId = encodeExecution(execution);
    return { executionId, resultsUri: resultsUri(execution.clientId, executionId) };
  };

  operation<{ Params: { clientId: string }; Body: UsageQuery | undefined }>(OPERATIONS.postOauthClientUsageQuery, {
    description:
      "Counts the client's requests to /api/v2 by status class, kept by UTC day for 30 days; read the results at resultsUri. A bad interval is 400 invalid.value; one outside what is kept answers no rows.",
    schema: {
      params: ClientIdParamsSchema,
      body: ApiUsageClientQuerySchema,
      response: { 202: UsageExecutionResultSchema, ...apiErrorResponses(403, 404, 413, 415) },
    },
    prepare: async (request) => void (await clientOf(request)),
    act: async (request, reply) => {
      const query = requireBody(request.body, request.headers, 'ApiUsageClientQuery');
      parseInterval(query.interval);
      reply.code(202);
      return started({ clientId: request.params.clientId, ...query });
    },
  });

  operation<{ Params: { clientId: string; executionId: string } }>(OPERATIONS.getOauthClientUsageQueryResult, {
    description: 'Computed when read, from what every node has written (at most a minute behind); an execution id tokend did not give is 404.',
    schema: { params: ExecutionParamsSchema, response: { 200: ApiUsageQueryResultSchema, ...apiErrorResponses(403, 404) } },
    act: async (request) => {
      const client = await clientOf(request);
      const execution = decodeExecution(request.params.executionId, client.id);
      if (execution === null) throw errors.notFound('Usage query execution not found.', request.params.executionId);
      return { results: await clientUsage.results(execution, client), queryStatus: 'Complete' };
    },
  });

  operation<{ Params: { clientId: string }; Querystring: { days?: number } }>(OPERATIONS.getOauthClientUsageSummary, {
    description: "The client's requests per UTC day of the last `days` days (today included), every metric; read the results at resultsUri.",
    schema: { params: ClientIdParamsSchema, querystring: SummaryQuerySchema, response: { 202: UsageExecutionResultSchema, ...apiErrorResponses(403, 404) } },
    act: async (request, reply) => {
      const client = await clientOf(request);
      const now = clock.now();
      const days = request.query.days ?? 7;
      const start = Date.parse(`${utcDay(now - (days - 1) * DAY_MS)}T00:00:00.000Z`);
      const end = Date.parse(`${utcDay(now)}T00:00:00.000Z`) + DAY_MS;
      reply.code(202);
      return started({ clientId: client.id, interval: `${new Date(start).toISOString()}/${new Date(end).toISOString()}`, granularity: 'Day' });
    },
  });
}
