/**
 * Consent (CONTRACT.md, "Consent"; **ours**: per person, where Genesys authorizes apps per
 * organization): before `/oauth/authorize` gives an app a code or a token for a person, the
 * person allows it, once per app and set of scopes. What an Allow covers:
 * - the scopes allowed, remembered per person and client: a later request for the same or fewer
 *   skips the page, one for more asks again;
 * - the client as it was (terms.ts): changing its redirect URIs or scopes voids the Allow;
 * - nothing for a pre-authorized client (a first-party app marked by a seed or the command
 *   line), whose sign-ins never ask; such sign-ins record no Allow, and neither do the password
 *   and SAML2 bearer grants, which never come here.
 * Withdrawing an Allow ("Remove access" on the account page) ends every token and refresh family
 * the client holds for the person.
 */
import type { AuditTrail } from '../audit.js';
import type { Authenticator } from '../authenticator.js';
import type { AuthorizeRequest } from '../authorize/request.js';
import type { Clock } from '../clock.js';
import type { CoreCounts } from '../counts.js';
import type { Client, OAuthAuthorization, User } from '../models.js';
import type { ConsentPort } from '../ports/consent-port.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import { consentTerms } from './terms.js';

/** An Allow that holds, with the client it was given to. */
export interface HeldAuthorization {
  authorization: OAuthAuthorization;
  client: Client;
}

export interface ConsentDeps {
  store: ConsentPort & DirectoryPort;
  clock: Clock;
  /** This node's token cache, which must drop what "Remove access" revoked. */
  authenticator: Pick<Authenticator, 'userChanged'>;
  counts: CoreCounts;
  audit: AuditTrail;
}

export class Consent {
  readonly #deps: ConsentDeps;

  constructor(deps: ConsentDeps) {
    this.#deps = deps;
  }

  /** Whether `user` must be asked before `request` completes. */
  async needed(user: User, request: AuthorizeRequest): Promise<boolean> {
    if (request.client.preAuthorized === true) return false;
    const held = await this.#held(user.id, request.client);
    return held === null || !request.scopes.every((scope) => held.scopes.includes(scope));
  }

  /** Records that `user` allowed `request`: its scopes, added to those allowed before while the client stays as it was. */
  async allow(user: User, request: AuthorizeRequest): Promise<void> {
    const { client } = request;
    const held = await this.#held(user.id, client);
    const now = this.#deps.clock.now();
    await this.#deps.store.saveAuthorization({
      userId: user.id,
      clientId: client.id,
      organizationId: client.organizationId,
      scopes: [...new Set([...(held?.scopes ?? []), ...request.scopes])].sort(),
      clientTerms: consentTerms(client),
      dateCreated: held?.dateCreated ?? now,
      dateModified: now,
      createdBy: held?.createdBy ?? user.id,
      modifiedBy: user.id,
    });
    this.#record('consent.give', user, client.id);
  }

  /** The person's Allows that hold, oldest first. */
  async list(user: User): Promise<HeldAuthorization[]> {
    const held: HeldAuthorization[] = [];
    for (const authorization of await this.#deps.store.listUserAuthorizations(user.id)) {
      const found = await this.#holding(authorization);
      if (found) held.push(found);
    }
    return held;
  }

  /** The person's Allow for one client, if it holds; null for an unknown client and another person's alike. */
  async find(user: User, clientId: string): Promise<HeldAuthorization | null> {
    const authorization = await this.#deps.store.findAuthorization(user.id, clientId);
    return authorization === null ? null : this.#holding(authorization);
  }

  /**
   * "Remove access": deletes the person's Allow for the client and ends every token and refresh
   * family that client holds for them, here at once and on the other nodes within the revocation
   * bound. False when they had not allowed it.
   */
  async remove(user: User, clientId: string): Promise<boolean> {
    const ended = await this.#deps.store.removeAuthorization(user.id, clientId, this.#deps.clock.now());
    if (ended === null) return false;
    this.#record('consent.remove', user, clientId);
    // This node reads the person's tokens afresh, finding those revoked; other nodes hear of each
    // revoked token (NOTIFY) or see the database change (data_version).
    this.#deps.authenticator.userChanged(user.id);
    if (ended.revokedTokens > 0) this.#deps.counts.revocations.add('account_page');
    return true;
  }

  #record(action: string, user: User, clientId: string): void {
    this.#deps.audit.record({
      action,
      actor: { kind: 'person', userId: user.id, organizationId: user.organizationId },
      target: { clientId },
      result: 'succeeded',
    });
  }

  /** The person's Allow for `client`, if it was given to the client as it is now. */
  async #held(userId: string, client: Client): Promise<OAuthAuthorization | null> {
    const authorization = await this.#deps.store.findAuthorization(userId, client.id);
    return authorization !== null && authorization.clientTerms === consentTerms(client) ? authorization : null;
  }

  async #holding(authorization: OAuthAuthorization): Promise<HeldAuthorization | null> {
    const client = await this.#deps.store.findClient(authorization.clientId);
    if (client === null || authorization.clientTerms !== consentTerms(client)) return null;
    return { authorization, client };
  }
}
