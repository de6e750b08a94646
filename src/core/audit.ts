/**
 * The audit trail: one structured line per admin action: who acted, on what, what
 * they did, and how it ended. Written by the three doors where an action is decided: every
 * changing `/api/v2` operation that a token called (api-operation.ts, refusals included: a
 * caller without the permission is what a reviewer looks for first; a request without a valid
 * token is nobody's action, and the access log has it), every changing `tokend` command
 * (cli/dispatch.ts), and consent given or removed on the pages (consent/consent.ts).
 *
 * An entry holds identifiers only, never a body: a secret, a password, a token or a code cannot
 * reach it however the action was called. Where the lines go is the host's choice (the server's
 * log, the command line's stderr): core only hands each entry to the sinks attached.
 */

/** Who acted: a token's client (and person, when there is one), an operator at the command line, or a person on a page. */
export type AuditActor =
  | { readonly kind: 'token'; readonly clientId: string; readonly userId: string | null; readonly organizationId: string }
  | { readonly kind: 'person'; readonly userId: string; readonly organizationId: string }
  | { readonly kind: 'operator'; readonly name: string };

export interface AuditEntry {
  /** The SDK operationId (`putOauthClient`), the command (`tokend users disable`), or `consent.give` / `consent.remove`. */
  readonly action: string;
  readonly actor: AuditActor;
  /** What it acted on, by id: the operation's path parameters, an entity it created, a command's arguments. */
  readonly target: Readonly<Record<string, string>>;
  readonly result: 'succeeded' | 'refused' | 'failed';
  /** The HTTP status, or the command's exit code (none for a page's consent, which ends in a redirect either way). */
  readonly status?: number;
  /** The error code of a refusal (`missing.permissions`), when there is one. */
  readonly code?: string;
}

export type AuditSink = (entry: AuditEntry) => void;

/** The result of a status: below 400 it succeeded, a 4xx was refused, a 5xx failed. */
export function resultOfStatus(status: number): AuditEntry['result'] {
  if (status < 400) return 'succeeded';
  return status < 500 ? 'refused' : 'failed';
}

export class AuditTrail {
  readonly #sinks: AuditSink[] = [];

  /** Sends every later entry to `sink` too (the server attaches its log once it has one). */
  to(sink: AuditSink): void {
    this.#sinks.push(sink);
  }

  record(entry: AuditEntry): void {
    for (const sink of this.#sinks) sink(entry);
  }
}
