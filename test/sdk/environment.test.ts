import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiClient, regions, resolveEnvironment } from '../../src/sdk/index.js';

test('a Genesys region gives https://api.<env> and https://login.<env>', () => {
  assert.deepEqual(resolveEnvironment({ region: 'mypurecloud.com' }), {
    api: 'https://api.mypurecloud.com/',
    login: 'https://login.mypurecloud.com/',
  });
  assert.deepEqual(resolveEnvironment({ region: 'usw2.pure.cloud' }), {
    api: 'https://api.usw2.pure.cloud/',
    login: 'https://login.usw2.pure.cloud/',
  });
});

test('an AWS region name, with dashes or underscores, maps to its domain', () => {
  assert.equal(resolveEnvironment({ region: 'eu-west-1' }).api, 'https://api.mypurecloud.ie/');
  assert.equal(resolveEnvironment({ region: 'US-WEST-2' }).api, 'https://api.usw2.pure.cloud/');
  assert.equal(resolveEnvironment({ region: 'ap_southeast_2' }).login, 'https://login.mypurecloud.com.au/');
  assert.equal(regions.us_west_2, 'usw2.pure.cloud');
});

test('one base URL serves both, path prefix kept', () => {
  assert.deepEqual(resolveEnvironment({ baseUrl: 'http://localhost:8080' }), { api: 'http://localhost:8080/', login: 'http://localhost:8080/' });
  assert.equal(resolveEnvironment({ baseUrl: 'https://host/tokend' }).api, 'https://host/tokend/');
  assert.deepEqual(resolveEnvironment({ apiUrl: 'http://a', loginUrl: 'http://l/' }), { api: 'http://a/', login: 'http://l/' });
});

test('misuse throws a TypeError at construction, naming the option', () => {
  assert.throws(() => new ApiClient({ region: 'https://api.mypurecloud.com' }), /region "https:\/\/api.mypurecloud.com" is neither/);
  assert.throws(() => new ApiClient({ region: 'nowhere' }), TypeError);
  assert.throws(() => new ApiClient({ baseUrl: 'localhost:8080' }), /baseUrl "localhost:8080" must use http or https/);
  assert.throws(() => new ApiClient({ baseUrl: 'not a url' }), /baseUrl "not a url" is not an absolute URL/);
  assert.throws(() => new ApiClient({ baseUrl: 'http://h/?x=1' }), /must not carry a query/);
  assert.throws(() => new ApiClient({ baseUrl: 'http://h', timeoutMs: 0 }), /timeoutMs must be greater than 0/);
  assert.throws(() => new ApiClient({ baseUrl: 'http://h', retry: { maxAttempts: 0 } }), /retry.maxAttempts must be greater than 0/);
  assert.throws(() => new ApiClient({ baseUrl: 'http://h', retry: { maxAttempts: 1.5 } }), /whole number/);
  assert.throws(() => new ApiClient({ baseUrl: 'http://h', refreshMarginSeconds: -1 }), /refreshMarginSeconds must be 0 or more/);
});
