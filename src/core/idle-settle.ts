/**
 * Several nodes on one store write a token's last use once per flush interval, so a token seen
 * past its idle deadline on this node may have been used on another one moments ago: the store
 * is read again before the token is ended (authenticator.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { TokenRecord } from './models.js';

/** How often a just-passed idle deadline re-reads the store while other nodes' writes may land. */
const SETTLE_POLL_MS = 100;

/**
 * The token's last use as every node knows it, from `known` (this node's) and the store's.
 * `settleMs`: how long after a deadline other nodes' writes may still land (0 on one node).
 */
export async function settledLastUse(
  store: { findTokenByHash(hash: string): Promise<TokenRecord | null> },
  hash: string,
  known: number,
  now: number,
  idleMs: number,
  settleMs: number,
): Promise<number> {
  const stored = await store.findTokenByHash(hash);
  const last = stored && stored.lastUsedAt > known ? stored.lastUsedAt : known;
  const settled = last + idleMs + settleMs;
  if (now >= settled || now < last + idleMs) return last;
  // Just past the deadline: another node may have accepted a use less than one flush interval
  // ago that is not written yet. Read again until such a use shows up or its flush must have
  // landed (real time: flushes run on timers, whatever the injected clock says).
  const giveUpAt = Date.now() + Math.min(settled - now, settleMs);
  for (;;) {
    const wait = Math.min(SETTLE_POLL_MS, giveUpAt - Date.now());
    if (wait > 0) await sleep(wait);
    const later = await store.findTokenByHash(hash);
    if (later && later.lastUsedAt > last) return later.lastUsedAt;
    if (Date.now() >= giveUpAt) return last;
  }
}
