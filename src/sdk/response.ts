import { ApiError } from './errors/api-error.js';
import { OAuthError } from './errors/oauth-error.js';
import type { ErrorBody, OAuthErrorBody } from './models.js';
import { parseRetryAfter } from './retry.js';

/** The parsed JSON body, or undefined when there is none (HEAD, 204, empty). */
export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  return text === '' ? undefined : JSON.parse(text);
}

/** The server's correlation id: `ININ-Correlation-Id`, as Genesys and tokend send it. */
export function correlationIdOf(response: Response): string | undefined {
  return response.headers.get('inin-correlation-id') ?? undefined;
}

async function readErrorObject(response: Response): Promise<Record<string, unknown>> {
  try {
    const body = await readJson(response);
    return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  } catch (error) {
    // A proxy's HTML error page is not an ErrorBody, but the status still says what failed.
    if (error instanceof SyntaxError) return {};
    throw error;
  }
}

// Used where the answer carries no body to read the code from, as a HEAD answer never does.
function fallbackCode(response: Response, sentToken: boolean): { code: string; message: string } {
  if (response.status === 401) {
    // RFC 6750 section 3.1: error="invalid_token" marks a token that was sent and refused.
    const refused = sentToken || /error="invalid_token"/.test(response.headers.get('www-authenticate') ?? '');
    return refused
      ? { code: 'bad.credentials', message: 'Invalid login credentials.' }
      : { code: 'authentication.required', message: 'No authentication bearer token specified in authorization header.' };
  }
  const codes: Record<number, string> = {
    400: 'bad.request',
    403: 'forbidden',
    404: 'not.found',
    429: 'too.many.requests.retry.after',
    500: 'internal.server.error',
    503: 'service.unavailable',
  };
  const text = response.statusText === '' ? `HTTP ${response.status}` : response.statusText;
  return { code: codes[response.status] ?? `http.${response.status}`, message: text };
}

/** Builds the {@link ApiError} for a 4xx/5xx answer of `/api/v2`. */
export async function apiErrorFrom(response: Response, request: { method: string; url: string }, sentToken: boolean, now: number): Promise<ApiError> {
  const body = (await readErrorObject(response)) as ErrorBody;
  const fallback = fallbackCode(response, sentToken);
  return new ApiError({
    ...request,
    status: response.status,
    body,
    code: fallback.code,
    fallbackMessage: fallback.message,
    correlationId: correlationIdOf(response),
    retryAfter: parseRetryAfter(response.headers.get('retry-after'), now),
  });
}

/** Builds the {@link OAuthError} for a refusal of `POST /oauth/token`. */
export async function oauthErrorFrom(response: Response, url: string, now: number): Promise<OAuthError> {
  return new OAuthError({
    method: 'POST',
    url,
    status: response.status,
    body: (await readErrorObject(response)) as OAuthErrorBody,
    correlationId: correlationIdOf(response),
    retryAfter: parseRetryAfter(response.headers.get('retry-after'), now),
  });
}
