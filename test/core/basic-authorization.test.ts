/** HTTP Basic client credentials, raw (the Genesys SDKs) or form-urlencoded (RFC 6749 §2.3.1, openid-client). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBasicAuthorization } from '../../src/core/basic-authorization.js';

const header = (pair: string) => `Basic ${Buffer.from(pair).toString('base64')}`;
const ID = '11111111-0000-4000-8000-00000000d001';
const ENCODED_ID = ID.replaceAll('-', '%2D');

test('raw credentials are taken as sent, a % in the secret included', () => {
  assert.deepEqual(parseBasicAuthorization(header(`${ID}:s3cr%t+x`)), { clientId: ID, secret: 's3cr%t+x' });
});

test('form-urlencoded credentials (an id with %) are decoded, secret included', () => {
  assert.deepEqual(parseBasicAuthorization(header(`${ENCODED_ID}:a%2Db+c%25%3A`)), { clientId: ID, secret: 'a-b c%:' });
});

test('malformed encodings and empty ids are refused', () => {
  assert.equal(parseBasicAuthorization(header(`${ENCODED_ID}:%ZZ`)), null);
  assert.equal(parseBasicAuthorization(header('%E0%A4%A:secret')), null);
  assert.equal(parseBasicAuthorization(header(':secret')), null);
  assert.equal(parseBasicAuthorization(header(`%:secret`)), null);
});
