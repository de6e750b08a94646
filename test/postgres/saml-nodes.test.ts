/**
 * The SAML2 bearer grant on two tokend nodes over one PostgreSQL: an assertion redeemed on node A
 * is refused on node B (and racing redemptions on both give exactly one token), and a provider
 * disabled through node A's API refuses assertions on node B from the next request.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../src/core/clock.js';
import { basic, bearer } from '../helpers/app.js';
import { assertionXml, encode, makeSigningKey, SAML_SEED_FILE, samlClients, samlUsers, signAssertion } from '../helpers/saml.js';
import { pgSkip } from './pg-gate.js';
import { nodeToken, seededNodes } from './seeded-nodes.js';

const skip = await pgSkip({ once: true });
const PUBLIC_URL = 'https://tokend.test';
const ISSUER = 'https://idp.initech.test/saml';
const AUDIENCE = 'urn:tokend:initech';

describe('SAML2 bearer on two nodes over one PostgreSQL', { skip }, () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const nodes = seededNodes(SAML_SEED_FILE, clock, { publicUrl: PUBLIC_URL });
  const key = makeSigningKey();
  const signed = () =>
    encode(
      signAssertion(
        assertionXml({ issuer: ISSUER, nameId: samlUsers.pat.email, audience: AUDIENCE, recipient: `${PUBLIC_URL}/oauth/token`, now: clock.now() }),
        key,
      ),
    );
  const redeem = (node: FastifyInstance, assertion: string) =>
    node.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization: basic(samlClients.samlApp.id, samlClients.samlApp.secret), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:saml2-bearer', orgName: 'Initech', assertion }).toString(),
    });
  const putGeneric = async (node: FastifyInstance, disabled: boolean) => {
    const admin = await nodeToken(node, samlClients.ssoAdmin);
    const response = await node.inject({
      method: 'PUT',
      url: '/api/v2/identityproviders/generic',
      headers: bearer(admin),
      payload: { issuerURI: ISSUER, relyingPartyIdentifier: AUDIENCE, certificate: key.certificate, disabled },
    });
    assert.equal(response.statusCode, 200, response.body);
  };
  const replay = { error: 'invalid_grant', description: 'the assertion was already redeemed', error_description: 'the assertion was already redeemed' };

  test('an assertion redeemed on node A is refused on node B', async () => {
    await putGeneric(nodes.a, false);
    const assertion = signed();
    const first = await redeem(nodes.a, assertion);
    assert.equal(first.statusCode, 200, first.body);
    const second = await redeem(nodes.b, assertion);
    assert.equal(second.statusCode, 400);
    assert.deepEqual(second.json(), replay);
  });

  test('racing redemptions of one assertion on both nodes: exactly one token', async () => {
    const assertion = signed();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => redeem(i % 2 === 0 ? nodes.a : nodes.b, assertion)));
    assert.equal(answers.filter((r) => r.statusCode === 200).length, 1);
    for (const refused of answers.filter((r) => r.statusCode !== 200)) assert.deepEqual(refused.json(), replay);
  });

  test('a provider disabled on node A refuses on node B from the next request', async () => {
    await putGeneric(nodes.a, true);
    const refused = await redeem(nodes.b, signed());
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().description, "the assertion's Issuer is not an enabled identity provider of the organization");
    await putGeneric(nodes.b, false);
    assert.equal((await redeem(nodes.a, signed())).statusCode, 200);
  });
});
