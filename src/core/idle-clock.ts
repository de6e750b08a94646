/**
 * Last use of tokens, kept in memory and written to the store in batches (STYLE.md: no write
 * per request). Decisions use the in-memory value, which is never behind the stored one, so a
 * batch not yet written can only keep alive a token that really was used.
 *
 * What a flush writes: every move of a token under an idle timeout (so that a restart or
 * another node sees it), and for other tokens at most one move a minute (there last use is
 * informational). The in-memory value stays exact for all tokens, so switching a timeout on
 * measures idleness from the true last use.
 */
import type { Store } from '../store/store.js';

const INFORMATIONAL_GRANULARITY_MS = 60_000;
/** Written entries unused for this long are dropped from memory; the store has them. */
const FORGET_AFTER_MS = 120_000;

interface Use {
  at: number;
  written: number;
  underIdleTimeout: boolean;
}

export class IdleClock {
  readonly #store: Store;
  readonly #uses = new Map<string, Use>();

  constructor(store: Store) {
    this.#store = store;
  }

  /** The token's last use: the stored value, or a newer one seen here. */
  lastUse(hash: string, stored: number): number {
    const use = this.#uses.get(hash);
    return use !== undefined && use.at > stored ? use.at : stored;
  }

  touch(hash: string, at: number, stored: number, underIdleTimeout: boolean): void {
    const use = this.#uses.get(hash);
    if (use === undefined) {
      this.#uses.set(hash, { at, written: stored, underIdleTimeout });
    } else if (at > use.at) {
      use.at = at;
      use.underIdleTimeout = underIdleTimeout;
    }
  }

  forget(hash: string): void {
    this.#uses.delete(hash);
  }

  /** How many moves a flush would write now. */
  get pendingCount(): number {
    let count = 0;
    for (const use of this.#uses.values()) if (this.#due(use)) count++;
    return count;
  }

  #due(use: Use): boolean {
    return use.at > use.written && (use.underIdleTimeout || use.at - use.written >= INFORMATIONAL_GRANULARITY_MS);
  }

  /**
   * Writes every due move in one batch and forgets long-written ones. If the write fails the
   * moves stay due for the next flush. Pass `everything` on shutdown to write informational moves too.
   */
  async flush(now: number, everything = false): Promise<number> {
    const batch: Array<{ hash: string; lastUsedAt: number }> = [];
    for (const [hash, use] of this.#uses) {
      if (everything ? use.at > use.written : this.#due(use)) batch.push({ hash, lastUsedAt: use.at });
      else if (use.at === use.written && now - use.at > FORGET_AFTER_MS) this.#uses.delete(hash);
    }
    if (batch.length === 0) return 0;
    await this.#store.touchTokens(batch);
    for (const { hash, lastUsedAt } of batch) {
      const use = this.#uses.get(hash);
      if (use && use.written < lastUsedAt) use.written = lastUsedAt;
    }
    return batch.length;
  }
}
