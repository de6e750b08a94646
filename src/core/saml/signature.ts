/**
 * The assertion's enveloped signature, verified by xml-crypto (never our own canonicalization),
 * with the checks its README asks of a verifier against signature wrapping: one Signature in
 * the whole document, a child of the Assertion it signs, with one Reference to that Assertion's
 * ID, held by no other element; and only the XML the signature covers
 * (`getSignedReferences()`) is read afterwards (assertion.ts).
 */
import { SignedXml } from 'xml-crypto';
import { certificateExpired, parseCertificate } from './certificates.js';
import { SamlRefusal, SAML_REFUSALS } from './refusals.js';
import { allElements, childElements, everyElement, SAML_ASSERTION_NS, XMLDSIG_NS } from './xml.js';

const SIGNATURE_METHODS = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
]);
const DIGEST_METHODS = new Set(['http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2001/04/xmlenc#sha512']);
const TRANSFORMS = new Set([
  'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  'http://www.w3.org/2001/10/xml-exc-c14n#',
  'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
]);
const ID_ATTRIBUTES = ['ID', 'Id', 'id'];

const algorithmOf = (element: Element | undefined): string => element?.getAttribute('Algorithm') ?? '';
const one = (elements: Element[]): Element => {
  if (elements.length !== 1) throw new SamlRefusal(SAML_REFUSALS.signature);
  return elements[0] as Element;
};

/** SHA-1 anywhere in the document's signature or digest methods is refused by its own rule. */
function refuseSha1(doc: Document): void {
  const methods = [...allElements(doc, XMLDSIG_NS, 'SignatureMethod'), ...allElements(doc, XMLDSIG_NS, 'DigestMethod')];
  if (methods.some((method) => /sha1/i.test(algorithmOf(method)))) throw new SamlRefusal(SAML_REFUSALS.sha1);
}

/** The one Signature, checked in shape: where it is, what it references, which algorithms. */
function envelopedSignature(doc: Document): Element {
  const assertion = doc.documentElement as Element;
  const signature = one(allElements(doc, XMLDSIG_NS, 'Signature'));
  if (signature.parentNode !== assertion) throw new SamlRefusal(SAML_REFUSALS.signature);
  const signedInfo = one(childElements(signature, XMLDSIG_NS, 'SignedInfo'));
  if (!SIGNATURE_METHODS.has(algorithmOf(childElements(signedInfo, XMLDSIG_NS, 'SignatureMethod')[0]))) throw new SamlRefusal(SAML_REFUSALS.signature);
  const reference = one(childElements(signedInfo, XMLDSIG_NS, 'Reference'));
  const id = assertion.getAttribute('ID') ?? '';
  if (id === '' || reference.getAttribute('URI') !== `#${id}`) throw new SamlRefusal(SAML_REFUSALS.signature);
  if (!DIGEST_METHODS.has(algorithmOf(childElements(reference, XMLDSIG_NS, 'DigestMethod')[0]))) throw new SamlRefusal(SAML_REFUSALS.signature);
  const transforms = childElements(reference, XMLDSIG_NS, 'Transforms').flatMap((t) => childElements(t, XMLDSIG_NS, 'Transform'));
  if (!transforms.some((t) => algorithmOf(t).endsWith('#enveloped-signature'))) throw new SamlRefusal(SAML_REFUSALS.signature);
  if (transforms.some((t) => !TRANSFORMS.has(algorithmOf(t)))) throw new SamlRefusal(SAML_REFUSALS.signature);
  // No other element may carry the signed ID: the reference must resolve to the Assertion alone.
  const holders = everyElement(doc).filter((element) => ID_ATTRIBUTES.some((name) => element.getAttribute(name) === id));
  if (holders.length !== 1 || holders[0] !== assertion) throw new SamlRefusal(SAML_REFUSALS.signature);
  return signature;
}

/**
 * The canonical XML of the signed Assertion, when one of `certificates` (PEM) that has not
 * expired by `now` verifies its signature; every failure is the same refusal.
 */
export function verifiedAssertionXml(xml: string, doc: Document, certificates: readonly string[], now: number): string {
  const root = doc.documentElement as Element;
  if (root.namespaceURI !== SAML_ASSERTION_NS || root.localName !== 'Assertion') throw new SamlRefusal(SAML_REFUSALS.notAnAssertion);
  refuseSha1(doc);
  const signature = envelopedSignature(doc);
  for (const pem of certificates) {
    const certificate = parseCertificate(pem);
    if (certificate === null || certificateExpired(certificate, now)) continue;
    const verifier = new SignedXml({ publicCert: pem, getCertFromKeyInfo: () => null });
    try {
      verifier.loadSignature(signature);
      if (!verifier.checkSignature(xml)) continue;
    } catch {
      continue;
    }
    const signed = verifier.getSignedReferences();
    if (signed.length !== 1) throw new SamlRefusal(SAML_REFUSALS.signature);
    return signed[0] as string;
  }
  throw new SamlRefusal(SAML_REFUSALS.signature);
}
