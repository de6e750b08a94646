/**
 * What the grant reads of an assertion, from the canonical XML its signature covers only
 * (signature.ts): the Issuer, the Subject's NameID and bearer confirmations, the Conditions.
 * Canonical XML carries no comments, so a comment cannot shorten a value. Each element the
 * rules read must appear once, where SAML puts it: a second Issuer or Subject is refused, never
 * chosen between.
 */
import { SamlRefusal, SAML_REFUSALS } from './refusals.js';
import { childElements, parseXml, SAML_ASSERTION_NS, UnreadableXml } from './xml.js';

export const BEARER_METHOD = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const NAME_ID_FORMATS = new Set(['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified']);

/** An instant's window; absent ends are open. Epoch ms. */
export interface Window {
  notBefore?: number;
  notOnOrAfter?: number;
}

export interface BearerConfirmation extends Window {
  recipient: string;
}

export interface SignedAssertion {
  id: string;
  issuer: string;
  nameId: string;
  conditions: Window;
  /** Each AudienceRestriction's audiences; every restriction must name the relying party. */
  audienceRestrictions: string[][];
  bearers: BearerConfirmation[];
}

const text = (element: Element): string => (element.textContent ?? '').trim();

function only(parent: Element, localName: string, refusal: string): Element {
  const found = childElements(parent, SAML_ASSERTION_NS, localName);
  if (found.length !== 1) throw new SamlRefusal(refusal);
  return found[0] as Element;
}

function instant(element: Element, name: string): number | undefined {
  const value = element.getAttribute(name);
  if (value === null || value === '') return undefined;
  const ms = Date.parse(value);
  // xs:dateTime with a zone; SAML requires UTC, so a value without one is not trusted to mean it.
  if (Number.isNaN(ms) || !/(Z|[+-]\d\d:\d\d)$/.test(value)) throw new SamlRefusal(SAML_REFUSALS.notXml);
  return ms;
}

function windowOf(element: Element): Window {
  const notBefore = instant(element, 'NotBefore');
  const notOnOrAfter = instant(element, 'NotOnOrAfter');
  return { ...(notBefore === undefined ? {} : { notBefore }), ...(notOnOrAfter === undefined ? {} : { notOnOrAfter }) };
}

/** The signed Assertion's fields; `id` is the ID the signature referenced. */
export function readSignedAssertion(canonicalXml: string, id: string): SignedAssertion {
  let doc: Document;
  try {
    doc = parseXml(canonicalXml);
  } catch (error) {
    if (error instanceof UnreadableXml) throw new SamlRefusal(SAML_REFUSALS.signature);
    throw error;
  }
  const assertion = doc.documentElement as Element;
  if (assertion.namespaceURI !== SAML_ASSERTION_NS || assertion.localName !== 'Assertion' || assertion.getAttribute('ID') !== id) {
    throw new SamlRefusal(SAML_REFUSALS.signature);
  }
  const issuer = text(only(assertion, 'Issuer', SAML_REFUSALS.issuer));
  const subject = only(assertion, 'Subject', SAML_REFUSALS.nameId);
  const nameIdElement = only(subject, 'NameID', SAML_REFUSALS.nameId);
  const format = nameIdElement.getAttribute('Format');
  if (format !== null && format !== '' && !NAME_ID_FORMATS.has(format)) throw new SamlRefusal(SAML_REFUSALS.nameId);
  const conditionsElements = childElements(assertion, SAML_ASSERTION_NS, 'Conditions');
  if (conditionsElements.length > 1) throw new SamlRefusal(SAML_REFUSALS.audience);
  const conditions = conditionsElements[0];
  const audienceRestrictions = (conditions ? childElements(conditions, SAML_ASSERTION_NS, 'AudienceRestriction') : []).map((restriction) =>
    childElements(restriction, SAML_ASSERTION_NS, 'Audience').map(text),
  );
  const bearers = childElements(subject, SAML_ASSERTION_NS, 'SubjectConfirmation')
    .filter((confirmation) => confirmation.getAttribute('Method') === BEARER_METHOD)
    .flatMap((confirmation) =>
      childElements(confirmation, SAML_ASSERTION_NS, 'SubjectConfirmationData').map((data) => ({
        recipient: data.getAttribute('Recipient') ?? '',
        ...windowOf(data),
      })),
    );
  return { id, issuer, nameId: text(nameIdElement), conditions: conditions ? windowOf(conditions) : {}, audienceRestrictions, bearers };
}

/** The Issuer as written in the (unverified) document: only to pick the certificates to verify with. */
export function claimedIssuer(doc: Document): string {
  const issuers = childElements(doc.documentElement as Element, SAML_ASSERTION_NS, 'Issuer');
  return issuers.length === 1 ? text(issuers[0] as Element) : '';
}
