import { withDeadline } from './deadline.js';
import { joinUrl } from './environment.js';
import type { CallOptions, ResolvedSettings } from './options.js';
import { apiErrorFrom, correlationIdOf, readJson } from './response.js';
import type { Session } from './session.js';
import { send, type Transport } from './transport.js';

/**
 * One `/api/v2` call.
 *
 * @example
 * ```ts
 * const spec: ApiRequest = { method: 'GET', path: '/api/v2/tokens/me', query: { preserveIdleTTL: true } };
 * ```
 */
export interface ApiRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path from the API root, such as `/api/v2/tokens/me`; encode path parameters. */
  path: string;
  /** Query parameters; undefined ones are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
}

/** A successful answer. */
export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  /** The parsed JSON body; undefined for HEAD, 204 and empty bodies. */
  body: T;
  /** `ININ-Correlation-Id`, where the server sent one. */
  correlationId: string | undefined;
}

/** What a call needs from its client. */
export interface CallContext {
  apiBase: string;
  settings: ResolvedSettings;
  transport: Transport;
  session: Session;
}

/**
 * Runs one call: renews a token about to expire, sends with retries, and after a 401
 * `bad.credentials` renews the session once and sends again, so the caller gets the
 * answer to the call it made. Anything but a 2xx becomes an `ApiError`.
 */
export function callApi<T>(context: CallContext, spec: ApiRequest, options: CallOptions = {}): Promise<ApiResponse<T>> {
  const { settings, session } = context;
  const url = joinUrl(context.apiBase, spec.path);
  for (const [name, value] of Object.entries(spec.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  const described = { method: spec.method, url: url.href };
  const limits = { timeoutMs: options.timeoutMs ?? settings.timeoutMs, signal: options.signal };
  return withDeadline(described, limits, settings.clock, async (deadline) => {
    const attempt = (token: string | undefined) => {
      const headers = new Headers({ accept: 'application/json' });
      if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
      if (spec.body !== undefined) headers.set('content-type', 'application/json');
      for (const [name, value] of Object.entries({ ...settings.headers, ...options.customHeaders })) headers.set(name, value);
      const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
      return send({ method: spec.method, url, headers, ...(body === undefined ? {} : { body }) }, deadline, context.transport);
    };
    await session.ensureFresh(deadline.signal);
    const sent = session.current();
    let response = await attempt(sent.token);
    if (!response.ok) {
      const error = await apiErrorFrom(response, described, sent.token !== undefined, settings.clock.now());
      // Once per call: a second refusal right after a renewal is the caller's to see.
      if (error.code !== 'bad.credentials' || !(await session.recover(sent, deadline.signal))) throw error;
      const renewed = session.accessToken;
      response = await attempt(renewed);
      if (!response.ok) throw await apiErrorFrom(response, described, renewed !== undefined, settings.clock.now());
    }
    const body = spec.method === 'HEAD' ? undefined : await readJson(response);
    return { status: response.status, headers: response.headers, body: body as T, correlationId: correlationIdOf(response) };
  });
}
