/**
 * SAML assertions for tests: a signing key and a self-signed certificate made by openssl (node
 * cannot make X.509 certificates), assertions written as an identity provider writes them, and
 * signed by xml-crypto's SignedXml (an enveloped RSA-SHA256 signature over the Assertion's ID).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignedXml } from 'xml-crypto';

export interface SigningKey {
  privateKey: string;
  certificate: string;
}

/** An RSA key and a self-signed certificate valid for `days` from now (the machine's clock). */
export function makeSigningKey(days = 30, subject = '/CN=idp.test'): SigningKey {
  const dir = mkdtempSync(join(tmpdir(), 'tokend-saml-'));
  try {
    const [keyFile, certFile] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync(
      '/usr/bin/openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', keyFile, '-out', certFile, '-days', String(days), '-subj', subject],
      {
        stdio: 'ignore',
      },
    );
    return { privateKey: readFileSync(keyFile, 'utf8'), certificate: readFileSync(certFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The certificate as bare base64 DER (the body of the PEM on one line). */
export const bareBase64 = (pem: string): string => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

export interface AssertionFields {
  id?: string;
  issuer: string;
  nameId: string;
  nameIdFormat?: string;
  audience: string;
  recipient: string | null;
  /** Epoch ms: the assertion's issue instant; NotBefore is it, NotOnOrAfter it + `validMs`. */
  now: number;
  validMs?: number;
  /** Overrides of the Conditions window, epoch ms. */
  notBefore?: number;
  notOnOrAfter?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** An unsigned assertion as an identity provider writes one. */
export function assertionXml(f: AssertionFields): string {
  const id = f.id ?? `_${randomUUID()}`;
  const notBefore = f.notBefore ?? f.now;
  const notOnOrAfter = f.notOnOrAfter ?? f.now + (f.validMs ?? 300_000);
  const format = f.nameIdFormat ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
  const recipient = f.recipient === null ? '' : ` Recipient="${f.recipient}"`;
  return (
    `<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" IssueInstant="${iso(f.now)}" Version="2.0">` +
    `<saml2:Issuer>${f.issuer}</saml2:Issuer>` +
    `<saml2:Subject><saml2:NameID Format="${format}">${f.nameId}</saml2:NameID>` +
    `<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml2:SubjectConfirmationData NotOnOrAfter="${iso(notOnOrAfter)}"${recipient}/></saml2:SubjectConfirmation>` +
    '</saml2:Subject>' +
    `<saml2:Conditions NotBefore="${iso(notBefore)}" NotOnOrAfter="${iso(notOnOrAfter)}"><saml2:AudienceRestriction><saml2:Audience>${f.audience}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>` +
    `<saml2:AuthnStatement AuthnInstant="${iso(f.now)}"><saml2:AuthnContext><saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>` +
    '</saml2:Assertion>'
  );
}

export interface SignOptions {
  signatureAlgorithm?:
    | 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256'
    | 'http://www.w3.org/2000/09/xmldsig#rsa-sha1'
    | 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512';
  digestAlgorithm?: 'http://www.w3.org/2001/04/xmlenc#sha256' | 'http://www.w3.org/2000/09/xmldsig#sha1';
}

/** The assertion with an enveloped signature over its ID, placed after its Issuer as SAML requires. */
export function signAssertion(xml: string, key: SigningKey, options: SignOptions = {}): string {
  const signer = new SignedXml({
    privateKey: key.privateKey,
    publicCert: key.certificate,
    signatureAlgorithm: options.signatureAlgorithm ?? 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  signer.addReference({
    xpath: "/*[local-name(.)='Assertion']",
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: options.digestAlgorithm ?? 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  signer.computeSignature(xml, { prefix: 'ds', location: { reference: "/*/*[local-name(.)='Issuer']", action: 'after' } });
  return signer.getSignedXml();
}

export const encode = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64');
export const encodeUrl = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64url');

/** test/fixtures/saml-seed.json: two organizations with SAML2-BEARER clients and SSO admins. */
export const SAML_SEED_FILE = fileURLToPath(new URL('../../../test/fixtures/saml-seed.json', import.meta.url));
export const INITECH = { id: '33333333-3333-4333-8333-333333333333', name: 'Initech' };
export const UMBRELLA = { id: '44444444-4444-4444-8444-444444444444', name: 'Umbrella' };
export const samlClients = {
  ssoAdmin: { id: '33333333-0000-4000-8000-00000000d001', secret: 'sso-admin-secret' },
  ssoViewer: { id: '33333333-0000-4000-8000-00000000d002', secret: 'sso-viewer-secret' },
  ssoEditor: { id: '33333333-0000-4000-8000-00000000d003', secret: 'sso-editor-secret' },
  samlApp: { id: '33333333-0000-4000-8000-00000000d004', secret: 'saml-app-secret' },
  passwordApp: { id: '33333333-0000-4000-8000-00000000d005', secret: 'password-app-secret' },
  umbrellaAdmin: { id: '44444444-0000-4000-8000-00000000d001', secret: 'umbrella-admin-secret' },
  umbrellaSaml: { id: '44444444-0000-4000-8000-00000000d004', secret: 'umbrella-saml-secret' },
};
export const samlUsers = {
  pat: { id: '33333333-0000-4000-8000-00000000c001', email: 'pat@initech.test' },
  ivy: { id: '33333333-0000-4000-8000-00000000c002', email: 'ivy@initech.test' },
};
