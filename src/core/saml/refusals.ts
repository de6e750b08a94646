/**
 * Why a SAML2 bearer assertion is refused: each a 400 `invalid_grant` whose description names
 * the rule (CONTRACT.md, "SAML2 bearer grant and identity providers"). Every signature failure
 * (another key, altered content, a wrapped or misplaced signature) has the one description, so
 * a caller learns nothing of which part failed.
 */
export const SAML_REFUSALS = {
  tooLarge: 'the assertion is larger than 256 KiB',
  notBase64: 'the assertion is not base64 or base64url',
  doctype: 'the assertion may not declare a DOCTYPE or entities',
  notXml: 'the assertion is not well-formed XML',
  notAnAssertion: 'the document must be one saml2:Assertion element',
  sha1: 'SHA-1 is refused: sign with RSA-SHA256 or stronger',
  signature: 'the assertion signature is not valid',
  organization: "orgName does not name the client's organization",
  issuer: "the assertion's Issuer is not an enabled identity provider of the organization",
  audience: "the assertion's Audience is not the identity provider's relyingPartyIdentifier",
  notYetValid: 'the assertion is not yet valid',
  expired: 'the assertion has expired',
  noExpiry: 'the assertion has no NotOnOrAfter',
  recipient: 'the assertion has no bearer SubjectConfirmation whose Recipient is this token endpoint',
  nameId: 'the assertion needs one Subject NameID in emailAddress or unspecified format',
  person: "the assertion's NameID is not the email of an active person of the organization",
  replay: 'the assertion was already redeemed',
} as const;

/** A refusal of the assertion; the grant turns it into `invalid_grant`. */
export class SamlRefusal extends Error {
  constructor(readonly description: string) {
    super(description);
  }
}
