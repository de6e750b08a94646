/**
 * The official Genesys JavaScript SDK pointed at a listening tokend: `setGateway` sends its
 * login and API calls to one origin (CONTRACT.md, "One server, two hosts in one").
 */
import assert from 'node:assert/strict';
import platformClient from 'purecloud-platform-client-v2';
import { listenOnLoopback } from './socket-request.js';

/** What the SDK rejects with on an error answer (the fields the tests read). */
export interface SdkError {
  status: number;
  code: string;
  message: string;
}

/** A fresh SDK client for tokend on `port` (the SDK's ApiClient is a singleton; its constructor gives a new instance). */
export function sdkClientFor(port: number): typeof platformClient.ApiClient {
  const client = new (platformClient.ApiClient.constructor as new () => typeof platformClient.ApiClient)();
  client.setGateway({ host: '127.0.0.1', protocol: 'http', port });
  return client;
}

/** Makes a test app listen on a free loopback port, for the SDK; returns the port. */
export const listenForSdk = listenOnLoopback;

/** For `assert.rejects`: the SDK's rejection carries this status and ErrorBody code (and a message matching `message`). */
export function refusedWith(status: number, code: string, message?: RegExp) {
  return (error: SdkError) => {
    assert.equal(error.status, status, JSON.stringify(error));
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
    return true;
  };
}
