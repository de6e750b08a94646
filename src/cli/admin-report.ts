/**
 * What an admin command ended, said in one line for the person at the terminal (on stderr, so
 * stdout stays the JSON that carries the same counts): "Disabled user X: ended 2 sign-in
 * sessions, revoked 5 tokens."
 */
import type { Io } from './args.js';
import { notice } from './output.js';

const counted = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

export interface Ended {
  endedSessions?: number;
  revokedTokens?: number;
}

/** "ended 2 sign-in sessions, revoked 5 tokens", or "ended nothing". */
export function endedText({ endedSessions, revokedTokens }: Ended): string {
  const parts = [
    ...(endedSessions === undefined ? [] : [`ended ${counted(endedSessions, 'sign-in session')}`]),
    ...(revokedTokens === undefined ? [] : [`revoked ${counted(revokedTokens, 'token')}`]),
  ];
  return parts.length > 0 ? parts.join(', ') : 'ended nothing';
}

/** Prints "<done>: <what it ended>[; <after>]." on stderr. */
export function reportEnded(io: Io, done: string, ended: Ended, after?: string): void {
  notice(io, `${done}: ${endedText(ended)}${after ? `; ${after}` : ''}.`);
}
