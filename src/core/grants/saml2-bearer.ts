/**
 * `grant_type=urn:ietf:params:oauth:grant-type:saml2-bearer` (RFC 7522): a user token for the
 * person an enabled identity provider of the client's organization vouches for, by a signed
 * `<saml2:Assertion>` (CONTRACT.md, "SAML2 bearer grant and identity providers").
 *
 * The steps: authenticate the SAML2-BEARER client; decode and parse the assertion (size, DOCTYPE
 * and well-formedness first); pick the providers whose issuerURI is the Issuer; verify the
 * signature with their certificates (saml/signature.ts); from the signed XML alone
 * (saml/assertion.ts) check Issuer, Audience, times and the bearer Recipient; find the person by
 * NameID; redeem the assertion's ID once, in the store (every node sees it); issue.
 */
import { SamlRefusal, SAML_REFUSALS } from '../saml/refusals.js';
import { oauthErrors } from '../errors.js';
import type { IdentityProviderPort, IdentityProviderRecord } from '../ports/identity-provider-port.js';
import { type BearerConfirmation, claimedIssuer, readSignedAssertion, type SignedAssertion, type Window } from '../saml/assertion.js';
import { verifiedAssertionXml } from '../saml/signature.js';
import { declaresDoctype, parseXml, SAML_ASSERTION_NS, UnreadableXml } from '../saml/xml.js';
import { grantedScopes } from '../scopes.js';
import { authenticateClient, type Grant, requireField } from './grant.js';

export const SAML2_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:saml2-bearer';
/** The largest assertion accepted, decoded. */
export const MAX_ASSERTION_BYTES = 256 * 1024;
/** Clock skew tolerated on every NotBefore and NotOnOrAfter, never more (CONTRACT.md). */
export const SAML_SKEW_MS = 60_000;

export interface Saml2BearerSettings {
  providers: IdentityProviderPort;
  /** `TOKEND_PUBLIC_URL`, without a trailing slash: the Recipient is it + `/oauth/token` or + `/saml`. */
  publicUrl: string;
}

export function saml2BearerGrant(settings: Saml2BearerSettings): Grant {
  const recipients = new Set([`${settings.publicUrl}/oauth/token`, `${settings.publicUrl}/saml`]);
  return {
    grantType: SAML2_BEARER_GRANT_TYPE,
    async handle(deps, request) {
      const client = await authenticateClient(deps, request, this.grantType, 'SAML2-BEARER');
      const orgName = requireField(request, 'orgName');
      const encoded = requireField(request, 'assertion');
      const scopes = grantedScopes(client, request.form.scope);
      try {
        const organization = await deps.store.findOrganizationByName(orgName);
        if (organization === null || organization.id !== client.organizationId) throw new SamlRefusal(SAML_REFUSALS.organization);
        const xml = decodeAssertion(encoded);
        const doc = parse(xml);
        const candidates = (await settings.providers.listIdentityProviders(organization.id)).filter(
          (p) => !p.fields.disabled && p.fields.issuerURI === claimedIssuer(doc),
        );
        if (candidates.length === 0) throw new SamlRefusal(SAML_REFUSALS.issuer);
        const now = deps.clock.now();
        const { provider, assertion } = verifiedBy(candidates, xml, doc, now);
        const expiresAt = checkAssertion(provider, assertion, recipients, now);
        const user = await deps.store.findUserByEmail(organization.id, assertion.nameId);
        if (user === null || user.state !== 'active') throw new SamlRefusal(SAML_REFUSALS.person);
        if (!(await settings.providers.redeemAssertion(assertion.issuer, assertion.id, expiresAt + SAML_SKEW_MS, now))) {
          throw new SamlRefusal(SAML_REFUSALS.replay);
        }
        return await deps.issuer.issue({ client, user, scopes, grantType: this.grantType, userEnded: SAML_REFUSALS.person });
      } catch (error) {
        if (error instanceof SamlRefusal) throw oauthErrors.invalidGrant(error.description);
        throw error;
      }
    },
  };
}

/** base64 or base64url of at most {@link MAX_ASSERTION_BYTES}, as UTF-8 text. */
function decodeAssertion(encoded: string): string {
  const compact = encoded.replace(/\s+/g, '');
  if (compact.length > Math.ceil(MAX_ASSERTION_BYTES / 3) * 4) throw new SamlRefusal(SAML_REFUSALS.tooLarge);
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) throw new SamlRefusal(SAML_REFUSALS.notBase64);
  const bytes = Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length > MAX_ASSERTION_BYTES) throw new SamlRefusal(SAML_REFUSALS.tooLarge);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SamlRefusal(SAML_REFUSALS.notXml);
  }
}

/** The document, one saml2:Assertion; refused before parsing when it declares a DOCTYPE or entities. */
function parse(xml: string): Document {
  if (declaresDoctype(xml)) throw new SamlRefusal(SAML_REFUSALS.doctype);
  let doc: Document;
  try {
    doc = parseXml(xml);
  } catch (error) {
    if (error instanceof UnreadableXml) throw new SamlRefusal(SAML_REFUSALS.notXml);
    throw error;
  }
  const root = doc.documentElement as Element;
  if (root.namespaceURI !== SAML_ASSERTION_NS || root.localName !== 'Assertion') throw new SamlRefusal(SAML_REFUSALS.notAnAssertion);
  return doc;
}

/** The provider whose certificate verified the signature, and what that signature covers. */
function verifiedBy(
  candidates: IdentityProviderRecord[],
  xml: string,
  doc: Document,
  now: number,
): { provider: IdentityProviderRecord; assertion: SignedAssertion } {
  let refusal: SamlRefusal = new SamlRefusal(SAML_REFUSALS.signature);
  for (const provider of candidates) {
    try {
      const signed = verifiedAssertionXml(xml, doc, provider.fields.certificates, now);
      const assertion = readSignedAssertion(signed, (doc.documentElement as Element).getAttribute('ID') ?? '');
      if (assertion.issuer !== provider.fields.issuerURI) throw new SamlRefusal(SAML_REFUSALS.signature);
      return { provider, assertion };
    } catch (error) {
      if (!(error instanceof SamlRefusal)) throw error;
      refusal = error;
    }
  }
  throw refusal;
}

function checkWindow(window: Window, now: number): void {
  if (window.notBefore !== undefined && now + SAML_SKEW_MS < window.notBefore) throw new SamlRefusal(SAML_REFUSALS.notYetValid);
  if (window.notOnOrAfter !== undefined && now - SAML_SKEW_MS >= window.notOnOrAfter) throw new SamlRefusal(SAML_REFUSALS.expired);
}

/** Audience, times and the bearer Recipient; returns when the assertion stops being valid (epoch ms). */
function checkAssertion(provider: IdentityProviderRecord, assertion: SignedAssertion, recipients: ReadonlySet<string>, now: number): number {
  const audience = provider.fields.relyingPartyIdentifier;
  const { audienceRestrictions } = assertion;
  if (audience === '' || audienceRestrictions.length === 0 || !audienceRestrictions.every((names) => names.includes(audience))) {
    throw new SamlRefusal(SAML_REFUSALS.audience);
  }
  checkWindow(assertion.conditions, now);
  const addressed = assertion.bearers.filter((bearer) => recipients.has(bearer.recipient));
  if (addressed.length === 0) throw new SamlRefusal(SAML_REFUSALS.recipient);
  let bearer: BearerConfirmation | undefined;
  let refusal: unknown;
  for (const candidate of addressed) {
    try {
      checkWindow(candidate, now);
      bearer = candidate;
      break;
    } catch (error) {
      refusal = error;
    }
  }
  if (bearer === undefined) throw refusal;
  const ends = [assertion.conditions.notOnOrAfter, bearer.notOnOrAfter].filter((end): end is number => end !== undefined);
  if (ends.length === 0) throw new SamlRefusal(SAML_REFUSALS.noExpiry);
  return Math.min(...ends);
}
