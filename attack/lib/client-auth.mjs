/** Client authentication at `/oauth/token` as an attacker sees it: verdict (401 invalid_client), throttled (429 + Retry-After), or issued. */
import { randomBytes, randomUUID } from 'node:crypto';
import { json, tokenRequest } from './http.mjs';

export const randomSecret = () => randomBytes(12).toString('base64url');
export const randomClientId = () => randomUUID();

/**
 * A client-credentials request; `outcome` is verdict, throttled, issued, unanswered, or the odd
 * answer; `capped` tells a 429 of a cap (invalid_client) from one of the full queue (temporarily_unavailable).
 */
export async function clientCredentials(server, from, clientId, secret, timeoutMs) {
  const response = await tokenRequest(server, from, clientId, secret, { grant_type: 'client_credentials' }, timeoutMs);
  const outcome = outcomeOf(response);
  return { response, outcome, capped: outcome === 'throttled' && json(response)?.error === 'invalid_client', token: json(response)?.access_token };
}

function outcomeOf(response) {
  if (response.error === 'timeout') return 'unanswered';
  if (response.error) return `error ${response.error}`;
  const body = json(response);
  if (response.status === 200 && body?.access_token) return 'issued';
  if (response.status === 401 && body?.error === 'invalid_client') return 'verdict';
  if (response.status === 429 && response.headers['retry-after'] !== undefined) return 'throttled';
  if (response.status >= 500) return `5xx ${response.status}`;
  return `unexpected ${response.status} ${body?.error ?? ''}`.trim();
}

/** The finding every wrong-secret campaign checks: no answer but a verdict or a throttle among `counts` (outcome → number). */
export function checkOnlyVerdictsAndThrottles(findings, title, counts) {
  const odd = Object.entries(counts).filter(([outcome]) => outcome !== 'verdict' && outcome !== 'throttled');
  findings.check(
    title,
    'answers other than 401 invalid_client or 429 + Retry-After',
    odd.length ? odd.map(([o, n]) => `${o}: ${n}`).join(', ') : 0,
    '0',
    odd.length === 0,
  );
}
