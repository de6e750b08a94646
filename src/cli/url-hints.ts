/**
 * The mistakes people make in a tokend URL (`--url`, TOKEND_URL, a profile's url), each answered
 * with one line that says what to type instead: a URL without `http://`, one that ends in the
 * API's `/api/v2` (the SDK adds it), and `https://` to a tokend that serves plain http.
 */
import { isNetworkError } from '../sdk/index.js';
import { CliError } from './output.js';

/**
 * Refuses a base URL that is missing its scheme or names the API's path, naming what to give
 * instead; `source` is where it came from (`--url`, `TOKEND_URL`, `profile demo`).
 */
export function checkBaseUrl(url: string, source: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new CliError(`${source} ${url} has no http:// or https:// - did you mean http://${url.replace(/^\/+/, '')}?`);
  }
  const api = /^(.*?)\/api\/v2\/?$/i.exec(url);
  if (api) throw new CliError(`${source} ${url} ends in /api/v2, which tokend adds itself - give the server's base URL: ${api[1] || url}`);
  return url;
}

/** Whether a failed request was TLS spoken to a plain-http server (OpenSSL reads its answer as a record of a wrong version). */
function plainHttpAnswered(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 4; cause = cause.cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(cause.message)) return true;
  }
  return false;
}

/** For an https:// request a plain-http server answered: one line saying so, with the http:// URL to use; else undefined. */
export function httpsToHttpLine(error: unknown): string | undefined {
  if (!isNetworkError(error) || !plainHttpAnswered(error)) return undefined;
  const origin = new URL(error.url).origin;
  return `${error.method} ${error.url} failed: the server at ${origin} speaks plain http, not https (ERR_SSL_WRONG_VERSION_NUMBER) - use ${origin.replace(/^https:/, 'http:')}`;
}
