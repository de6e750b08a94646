/**
 * The mixed workload: 90% validation (GET /api/v2/tokens/me), 9% client-credentials issuance,
 * 1% revocation (DELETE /api/v2/tokens/me), checking as it goes that no token is ever
 * accepted after its revocation was acknowledged.
 *
 * - Issued tokens join the pool that validations draw from.
 * - Revocation takes a token issued during this run (so the prepared tokens stay live for the
 *   next run), removing it from the pool first, so no validation is sent with it from then on.
 *   A validation already in flight may be answered before or after the DELETE (they travel on
 *   different connections): for it either 200 or 401 is right, and it is counted as raced.
 * - Once a DELETE is answered 200, the token is "revoked"; 5% of validations then send a
 *   revoked token, and anything but 401 is a violation. Every other validation uses a live
 *   token and must get 200.
 * - `sweep()` lists every revoked token, for a final check after the run.
 */
import { basic } from './workloads.mjs';

const TOKENS_ME = '/api/v2/tokens/me';
const REVOKED_SHARE_OF_VALIDATIONS = 0.05;

/** `shares`: the validations' and issuances' shares of requests; revocations take the rest. */
export function mixed(prepared, client, { check, shares = { validate: 0.9, issue: 0.09 } }) {
  const issued = [];
  const revoked = [];
  /** Tokens taken for revocation (DELETE sent, answered or not). */
  const revoking = new Set();
  const stats = { violations: [], unexpected: {}, validations: 0, revokedChecks: 0, issued: 0, revocations: 0, raced: 0 };
  const authorization = basic(client.id, client.secret);

  const unexpected = (kind, status) => {
    const key = `${kind} ${status}`;
    stats.unexpected[key] = (stats.unexpected[key] ?? 0) + 1;
  };

  const validation = (request, context) => {
    const useRevoked = check && revoked.length > 0 && Math.random() < REVOKED_SHARE_OF_VALIDATIONS;
    const fromIssued = issued.length > 0 && Math.random() < issued.length / (issued.length + prepared.length);
    const token = useRevoked ? pick(revoked) : fromIssued ? pick(issued) : pick(prepared);
    context.kind = useRevoked ? 'revoked' : 'valid';
    context.token = token;
    request.method = 'GET';
    request.path = TOKENS_ME;
    request.headers = { authorization: `Bearer ${token}` };
    return request;
  };

  return {
    stats,
    revoked,
    setupRequest(request, context) {
      const roll = Math.random();
      if (roll < shares.validate) return validation(request, context);
      // Until a token has been issued there is nothing to revoke (the baseline never checks).
      if (roll < shares.validate + shares.issue || (check && issued.length === 0)) {
        context.kind = 'issue';
        request.method = 'POST';
        request.path = '/oauth/token';
        request.headers = { authorization, 'content-type': 'application/x-www-form-urlencoded' };
        request.body = 'grant_type=client_credentials';
        return request;
      }
      // Out of the pool before the DELETE is sent: no validation may race with it.
      const token = check ? takeRandom(issued) : pick(prepared);
      if (check) revoking.add(token);
      context.kind = 'revoke';
      context.token = token;
      request.method = 'DELETE';
      request.path = TOKENS_ME;
      request.headers = { authorization: `Bearer ${token}` };
      return request;
    },
    onResponse(status, body, context) {
      switch (context.kind) {
        case 'valid':
          stats.validations++;
          // Sent before its token was taken for revocation, answered after: either answer is right.
          if (status === 401 && revoking.has(context.token)) stats.raced++;
          else if (status !== 200) unexpected('GET live token', status);
          break;
        case 'revoked':
          stats.revokedChecks++;
          if (status >= 200 && status < 300) stats.violations.push({ token: `${context.token.slice(0, 6)}…`, status });
          else if (status !== 401) unexpected('GET revoked token', status);
          break;
        case 'issue':
          if (status !== 200) unexpected('POST /oauth/token', status);
          else if (check) {
            stats.issued++;
            issued.push(JSON.parse(body).access_token);
          }
          break;
        case 'revoke':
          if (status !== 200) unexpected('DELETE', status);
          else if (check) {
            stats.revocations++;
            revoked.push(context.token);
          }
          break;
      }
    },
  };
}

function takeRandom(list) {
  const index = Math.floor(Math.random() * list.length);
  const taken = list[index];
  list[index] = list[list.length - 1];
  list.pop();
  return taken;
}

function pick(list) {
  return list[Math.floor(Math.random() * list.length)];
}

/** After the run: every revoked token, once more, must be refused. Returns the violations. */
export async function sweep(port, revokedTokens) {
  const violations = [];
  for (const token of revokedTokens) {
    const response = await fetch(`http://127.0.0.1:${port}${TOKENS_ME}`, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (response.status !== 401) violations.push({ token: `${token.slice(0, 6)}…`, status: response.status, phase: 'sweep' });
  }
  return violations;
}
