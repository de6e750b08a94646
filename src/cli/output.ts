/** What the command line prints: JSON on stdout, one actionable line per error on stderr. */
import { isApiError, isNetworkError, isOAuthError } from '../sdk/index.js';
import type { Io } from './args.js';
import { httpsToHttpLine } from './url-hints.js';

/** A failure whose message already tells the person what to do (no usage needed). */
export class CliError extends Error {}

export function printJson(io: Io, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A notice for the person at the terminal, kept off stdout so that it stays parseable JSON. */
export function notice(io: Io, text: string): void {
  io.stderr.write(`${text}\n`);
}

/**
 * The SDK's message (it names the status, code, server text and correlation id), with a hint
 * where the next step is not obvious from it. Always one line.
 */
export function errorLine(error: unknown): string {
  const plainHttp = httpsToHttpLine(error);
  if (plainHttp !== undefined) return plainHttp;
  const message = error instanceof Error ? error.message : String(error);
  let hint = '';
  if (isOAuthError(error) && error.code === 'invalid_client') hint = ' - check the client id and secret';
  else if (isNetworkError(error)) hint = ' - is the server running at that address?';
  else if (isApiError(error) && error.code === 'bad.credentials') hint = ' - the access token is not valid (expired, revoked or idle)';
  else if (isApiError(error) && error.status === 403) hint = ' - the client or user lacks the permission or scope named';
  return `${message}${hint}`.replace(/\s*\n\s*/g, ' ');
}
