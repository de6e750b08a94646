/**
 * GET /.well-known/oauth-authorization-server (RFC 8414; CONTRACT.md, "Standard OAuth
 * endpoints"; issue 15) and the TOKEND_PUBLIC_URL setting its issuer comes from: discovered by
 * openid-client, which checks the issuer against the URL it was given, and never taken from
 * the request's Host.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { configFromEnvironment } from '../../src/config.js';
import { buildApp } from '../../src/server/build-app.js';
import type { TestApp } from '../helpers/app.js';
import { clients } from '../helpers/fixture.js';
import { discover, listeningTokend } from '../helpers/oauth-std.js';

let t: TestApp;
let url: string;
before(async () => {
  ({ t, url } = await listeningTokend());
});
after(() => t.close());

const expected = (issuer: string) => ({
  issuer,
  authorization_endpoint: `${issuer}/oauth/authorize`,
  token_endpoint: `${issuer}/oauth/token`,
  introspection_endpoint: `${issuer}/oauth/introspect`,
  revocation_endpoint: `${issuer}/oauth/revoke`,
  scopes_supported: [
    'user-basic-info',
    'organization',
    'organization:readonly',
    'users',
    'users:readonly',
    'groups',
    'groups:readonly',
    'authorization',
    'authorization:readonly',
    'oauth',
    'oauth:readonly',
    'identity-providers',
    'identity-providers:readonly',
  ],
  response_types_supported: ['code', 'token'],
  response_modes_supported: ['query', 'fragment'],
  grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'password', 'client_credentials', 'urn:ietf:params:oauth:grant-type:saml2-bearer'],
  token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
  introspection_endpoint_auth_methods_supported: ['client_secret_basic'],
  revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
  code_challenge_methods_supported: ['S256'],
});

describe('the metadata document', () => {
  test('openid-client discovers it (RFC 8414 §3, its issuer checked against the URL) and uses its token endpoint', async () => {
    const config = await discover(url, clients.plain);
    assert.deepEqual({ ...config.serverMetadata() }, expected(url));
    const tokens = await oidc.clientCredentialsGrant(config);
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(tokens.expires_in, 600);
    assert.equal((await oidc.tokenIntrospection(await discover(url, clients.admin), tokens.access_token)).active, true);
  });

  test('exact body and headers; the Host, X-Forwarded-Host and X-Forwarded-Proto of a request change nothing', async () => {
    const plain = await t.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' });
    assert.equal(plain.statusCode, 200);
    assert.equal(plain.body, JSON.stringify(expected(url)));
    assert.equal(plain.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(plain.headers['cache-control'], 'public, max-age=86400');
    const forged = await t.inject({
      method: 'GET',
      url: '/.well-known/oauth-authorization-server',
      headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', forwarded: 'host=evil.example;proto=https' },
    });
    assert.equal(forged.body, plain.body);
  });

  test('a page on another origin may read it (browser libraries discover endpoints so)', async () => {
    const response = await t.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server', headers: { origin: 'https://spa.acme.test' } });
    assert.equal(response.headers['access-control-allow-origin'], 'https://spa.acme.test');
  });

  test('a discovery that expects another issuer is refused by the library: the issuer is the configured URL', async () => {
    const other = url.replace('127.0.0.1', 'localhost');
    await assert.rejects(
      oidc.discovery(new URL(other), clients.plain.id, undefined, oidc.ClientSecretBasic(clients.plain.secret), {
        algorithm: 'oauth2',
        execute: [oidc.allowInsecureRequests],
      }),
      (error: Error & { code?: string }) => error.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED',
    );
  });
});

describe('TOKEND_PUBLIC_URL', () => {
  test('taken as given, without a trailing slash; a path is kept', () => {
    assert.equal(configFromEnvironment({ TOKEND_PUBLIC_URL: 'https://tokend.example.com' }).publicUrl, 'https://tokend.example.com');
    assert.equal(configFromEnvironment({ TOKEND_PUBLIC_URL: 'https://tokend.example.com/' }).publicUrl, 'https://tokend.example.com');
    assert.equal(configFromEnvironment({ TOKEND_PUBLIC_URL: 'https://example.com:8443/auth/' }).publicUrl, 'https://example.com:8443/auth');
    assert.equal(configFromEnvironment({ TOKEND_PUBLIC_URL: 'HTTP://Tokend.Example.COM:80' }).publicUrl, 'http://tokend.example.com');
  });

  test('unset: the listen address, IPv6 in brackets', () => {
    assert.equal(configFromEnvironment({}).publicUrl, 'http://127.0.0.1:8080');
    assert.equal(configFromEnvironment({ HOST: '10.0.0.5', PORT: '9000' }).publicUrl, 'http://10.0.0.5:9000');
    assert.equal(configFromEnvironment({ HOST: '::1', PORT: '9000' }).publicUrl, 'http://[::1]:9000');
    assert.equal(configFromEnvironment({}, { host: 'tokend.internal', port: '7000' }).publicUrl, 'http://tokend.internal:7000');
  });

  test('anything else is refused at start, naming the setting and what it accepts', async () => {
    const accepted = 'expected an absolute http:// or https:// URL without query, fragment or user info, such as https://tokend.example.com';
    for (const value of [
      'tokend.example.com',
      '/oauth',
      'ftp://tokend.example.com',
      'https://tokend.example.com/?x=1',
      'https://tokend.example.com/?',
      'https://tokend.example.com#top',
      'https://user:pw@tokend.example.com',
      'http://',
    ]) {
      assert.throws(() => configFromEnvironment({ TOKEND_PUBLIC_URL: value }), { message: `TOKEND_PUBLIC_URL=${value} is not valid: ${accepted}` }, value);
    }
    await assert.rejects(buildApp({ database: ':memory:', logger: false, publicUrl: 'javascript:alert(1)' }), {
      message: `TOKEND_PUBLIC_URL=javascript:alert(1) is not valid: ${accepted}`,
    });
  });
});
