/** `POST /oauth/token`: picks the grant handler named by `grant_type`. */
import { clientCredentialsGrant } from './grants/client-credentials.js';
import type { Grant, GrantDeps, TokenRequest } from './grants/grant.js';
import { passwordGrant } from './grants/password.js';
import { oauthErrors } from './errors.js';
import type { IssuedTokens } from './issuer.js';

export class TokenEndpoint {
  readonly #deps: GrantDeps;
  readonly #grants = new Map<string, Grant>();

  constructor(deps: GrantDeps, grants: Grant[] = [clientCredentialsGrant, passwordGrant]) {
    this.#deps = deps;
    for (const grant of grants) this.#grants.set(grant.grantType, grant);
  }

  /** Registers another grant (the browser grants add theirs). */
  register(grant: Grant): void {
    this.#grants.set(grant.grantType, grant);
  }

  async exchange(request: TokenRequest): Promise<IssuedTokens> {
    const grantType = request.form.grant_type;
    if (grantType === undefined || grantType === '') throw oauthErrors.invalidRequest('missing required parameter: grant_type');
    const grant = this.#grants.get(grantType);
    if (!grant) throw oauthErrors.unsupportedGrantType(grantType);
    return grant.handle(this.#deps, request);
  }
}
