/**
 * SAML2 bearer: an attacker who holds one genuine assertion (for themselves, signed by the
 * organization's identity provider) tries to become another person: signature wrapping in each
 * order and nesting, a NameID edited after signing or cut by a comment, a Response around it, a
 * DOCTYPE with entities, SHA-1, a key of their own; and replays of one assertion, concurrent and
 * spread over the nodes on PostgreSQL. No token may name the victim; a replay wins once.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignedXml } from 'xml-crypto';
import { basic, form, json, send } from './lib/http.mjs';
import { ON_POSTGRES } from './lib/postgres.mjs';
import { startNodes, workspace } from './lib/tokend.mjs';

export const key = 'saml';
export const title = '18 SAML2 bearer: becoming another person';

const PUBLIC_URL = 'https://tokend.attack.example';
const ISSUER = 'https://idp.attack.example';
const AUDIENCE = 'urn:tokend:attack';
const REPLAYS = 40;

function signingKey() {
  const dir = mkdtempSync(join(tmpdir(), 'tokend-attack-saml-'));
  try {
    execFileSync(
      '/usr/bin/openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '2', '-subj', '/CN=idp'],
      { stdio: 'ignore' },
    );
    return { privateKey: readFileSync(join(dir, 'k.pem'), 'utf8'), certificate: readFileSync(join(dir, 'c.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const iso = (ms) => new Date(ms).toISOString();
function assertion(email, id = `_${randomUUID()}`) {
  const now = Date.now();
  return (
    `<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" IssueInstant="${iso(now)}" Version="2.0"><saml2:Issuer>${ISSUER}</saml2:Issuer>` +
    `<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${email}</saml2:NameID><saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml2:SubjectConfirmationData NotOnOrAfter="${iso(now + 300_000)}" Recipient="${PUBLIC_URL}/oauth/token"/></saml2:SubjectConfirmation></saml2:Subject>` +
    `<saml2:Conditions NotBefore="${iso(now - 5000)}" NotOnOrAfter="${iso(now + 300_000)}"><saml2:AudienceRestriction><saml2:Audience>${AUDIENCE}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions></saml2:Assertion>`
  );
}
function sign(xml, key, algorithm = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', digest = 'http://www.w3.org/2001/04/xmlenc#sha256') {
  const signer = new SignedXml({
    privateKey: key.privateKey,
    signatureAlgorithm: algorithm,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  signer.addReference({
    xpath: "/*[local-name(.)='Assertion']",
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: digest,
  });
  signer.computeSignature(xml, { prefix: 'ds', location: { reference: "/*/*[local-name(.)='Issuer']", action: 'after' } });
  return signer.getSignedXml();
}

export async function run(findings) {
  const idp = signingKey();
  const own = signingKey();
  const app = { id: randomUUID(), secret: randomBytes(18).toString('base64url') };
  const victim = 'victim@attack.example';
  const attacker = 'attacker@attack.example';
  const seed = {
    organizations: [
      {
        name: 'Attack',
        users: [
          { name: 'Victim', email: victim },
          { name: 'Attacker', email: attacker },
        ],
        clients: [{ id: app.id, name: 'Attack SAML app', secret: app.secret, authorizedGrantType: 'SAML2-BEARER' }],
        identityProviders: [{ kind: 'generic', issuerURI: ISSUER, relyingPartyIdentifier: AUDIENCE, certificate: idp.certificate }],
      },
    ],
  };
  const ws = await workspace(key, seed);
  const nodes = await startNodes(ON_POSTGRES ? 2 : 1, { database: ws.database, seedFile: ws.seedFile, env: { TOKEND_PUBLIC_URL: PUBLIC_URL } });
  const redeem = async (server, xml) => {
    const response = await send(server, {
      method: 'POST',
      path: '/oauth/token',
      headers: { authorization: basic(app.id, app.secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'urn:ietf:params:oauth:grant-type:saml2-bearer', orgName: 'Attack', assertion: Buffer.from(xml).toString('base64') }),
    });
    const token = json(response)?.access_token;
    if (!token) return { status: response.status, email: null };
    const user = json(await send(server, { path: '/api/v2/users/me', headers: { authorization: `Bearer ${token}` } }));
    return { status: response.status, email: user?.email ?? '?' };
  };
  try {
    const genuine = sign(assertion(attacker), idp);
    const id = /ID="([^"]+)"/.exec(genuine)[1];
    const forged = (forgedId = '_forged') => assertion(victim, forgedId);
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(genuine)[0];
    const variants = [
      forged().replace('</saml2:Issuer>', `</saml2:Issuer>${genuine}`),
      forged().replace('</saml2:Assertion>', `${genuine}</saml2:Assertion>`),
      forged(id).replace('</saml2:Issuer>', `</saml2:Issuer>${genuine}`),
      forged(id).replace('</saml2:Issuer>', `</saml2:Issuer>${signature}`),
      genuine.replace('</saml2:Assertion>', `${forged()}</saml2:Assertion>`),
      genuine.replace('</saml2:Assertion>', `${forged(id)}</saml2:Assertion>`),
      genuine.replace('</saml2:Subject>', `</saml2:Subject><saml2:Subject><saml2:NameID>${victim}</saml2:NameID></saml2:Subject>`),
      genuine.replace(attacker, victim),
      genuine.replace(attacker, `${victim}<!---->`),
      sign(assertion(`${victim}<!--x-->.attacker`), idp),
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r">${forged()}${genuine}</samlp:Response>`,
      `<!DOCTYPE a [<!ENTITY v "${victim}">]>${sign(assertion('&v;'), idp)}`,
      sign(assertion(victim), own),
      sign(assertion(victim), idp, 'http://www.w3.org/2000/09/xmldsig#rsa-sha1'),
      sign(assertion(victim), idp, undefined, 'http://www.w3.org/2000/09/xmldsig#sha1'),
    ];
    const answers = [];
    for (const [i, xml] of variants.entries()) answers.push(await redeem(nodes[i % nodes.length], xml));
    const asVictim = answers.filter((a) => a.email === victim).length;
    const issued = answers.filter((a) => a.status === 200).length;
    findings.check(title, `forged assertions (${variants.length} kinds) answered with a token for the victim`, asVictim, 0, asVictim === 0);
    findings.check(title, 'forged assertions answered with any token', issued, 0, issued === 0);

    const replayed = sign(assertion(attacker), idp);
    const replays = await Promise.all(Array.from({ length: REPLAYS }, (_, i) => redeem(nodes[i % nodes.length], replayed)));
    const wins = replays.filter((a) => a.status === 200).length;
    findings.check(title, `one assertion redeemed ${REPLAYS} times at once${nodes.length > 1 ? ' over 2 nodes' : ''}: tokens`, wins, 1, wins === 1);
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    await ws.remove();
  }
}
