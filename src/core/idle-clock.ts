/**
 * Last use of tokens, kept in memory and written to the store in batches (STYLE.md: no write
 * per request). Decisions use the in-memory value, which is never behind the stored one, so a
 * batch not yet written can only keep alive a token that really was used.
 *
 * What a flush writes: every move of a token under an idle timeout (so that a restart or
 * another node sees it), and for other tokens at most one move every
 * {@link INFORMATIONAL_GRANULARITY_MS} (there last use is informational: the account page).
 * The in-memory value stays exact for all tokens, so switching a timeout on measures idleness
 * from the true last use, and a move not yet written is written before its entry is forgotten.
 *
 * The cost of a flush follows what changed, not how many tokens are remembered: a touch that
 * makes a move due queues it, and forgetting sweeps a bounded slice of the map per flush: at a
 * million tokens a full scan per flush was a large share of the server's CPU (docs/performance.md).
 *
 * A cached token holds its {@link Use} ({@link TokenUsage}), so the hot path reads and moves it
 * without a lookup, and the sweep does not forget a Use while a cached token holds it: the
 * memory is the cache's anyway, and forgetting it meant putting it back into a million-entry
 * map at its next use: at a million cached tokens used a few minutes apart, that churn of
 * deletes and inserts showed in a GET's CPU (docs/performance.md).
 * The cache lets go of a Use when it drops its token ({@link IdleClock.release},
 * {@link IdleClock.releaseAll}); a Use forgotten while a dropped cache still lends it is exact
 * (fully written) and is tracked again at its next move, so what was written is never taken
 * for unwritten (the cached token's own `lastUsedAt` is as old as its load, and a forgotten
 * entry rebuilt from it meant a write for every quiet token used again).
 */
import type { TokensPort } from './ports/tokens-port.js';
import type { TokenUsage } from './token-usage.js';

/**
 * At most one write per token in this time when no idle timeout applies. Its last use is then
 * only shown (the account page: exact on the node that serves it, up to this old elsewhere);
 * at a million tokens in use, 5 minutes still meant thousands of row writes a second.
 */
const INFORMATIONAL_GRANULARITY_MS = 15 * 60_000;
/** Entries unused for this long are forgotten once written; the store has them. */
const FORGET_AFTER_MS = 120_000;
/** Entries the forgetting sweep visits per flush: a million entries take ~60 flushes. */
const SWEEP_PER_FLUSH = 20_000;
/**
 * Rows per write: on SQLite a write blocks the event loop, so a large batch is cut into
 * transactions of this size with requests served between them.
 */
const ROWS_PER_WRITE = 1_000;

const UNDER_IDLE_TIMEOUT = 1;
const TRACKED = 2;
/** Holds are counted modulo this, so that the hold and the two flags stay one small integer. */
const HOLDS = 1 << 27;

/**
 * One token's last use here: `at` in memory, `written` the newest value known to be stored.
 * Every cached token holds one, so its three small values share one field (a million cached
 * tokens: 16 MB less; docs/performance.md, "Memory per cached token").
 */
export class Use {
  // Declared with a number, not left undefined until the constructor: V8 then keeps it as a
  // double updated in place. A field first defined as undefined holds a new heap number per
  // store, and `at` is stored at every request (2-3x the store's cost, and garbage).
  at = Number.NaN;
  // Left undefined until the constructor on purpose: a tagged field, which shares the number it
  // is given (the stored record's last use) instead of a box of its own, 16 bytes per cached
  // token at a million. Only a flush stores it, with the value it wrote.
  written: number;
  /** Bit 0: under an idle timeout; bit 1: tracked; the rest: the hold it was last held in, plus one (0: released). */
  #bits: number;

  constructor(at: number, written: number, underIdleTimeout: boolean) {
    this.at = at;
    this.written = written;
    this.#bits = (underIdleTimeout ? UNDER_IDLE_TIMEOUT : 0) | TRACKED;
  }

  get underIdleTimeout(): boolean {
    return (this.#bits & UNDER_IDLE_TIMEOUT) !== 0;
  }

  set underIdleTimeout(value: boolean) {
    this.#bits = value ? this.#bits | UNDER_IDLE_TIMEOUT : this.#bits & ~UNDER_IDLE_TIMEOUT;
  }

  /** In the map (and seen by flushes); false once forgotten, until its next move. */
  get tracked(): boolean {
    return (this.#bits & TRACKED) !== 0;
  }

  set tracked(value: boolean) {
    this.#bits = value ? this.#bits | TRACKED : this.#bits & ~TRACKED;
  }

  /** The hold a cached token last held it in ({@link IdleClock.releaseAll}); -1 once released. */
  get heldIn(): number {
    return (this.#bits >>> 2) - 1;
  }

  set heldIn(hold: number) {
    this.#bits = (this.#bits & (UNDER_IDLE_TIMEOUT | TRACKED)) | ((hold + 1) << 2);
  }
}

export class IdleClock {
  readonly #store: TokensPort;
  readonly #uses = new Map<string, Use>();
  /** Tokens with a move due to be written at the next flush. */
  #due = new Set<string>();
  /** Where the forgetting sweep goes on at the next flush (a live iterator over #uses). */
  #sweep: Iterator<[string, Use]> | null = null;
  /** The flush in progress, if any: flushes never overlap, so rows are never written twice at once. */
  #flushing: Promise<number> | null = null;
  /** The current hold: a Use whose `heldIn` is this is held by a cached token and never forgotten. */
  #hold = 0;

  constructor(store: TokensPort) {
    this.#store = store;
  }

  /** The token's last use: the stored value, or a newer one seen here. */
  lastUse(hash: string, stored: number, usage?: TokenUsage): number {
    const use = usage?.lastUse ?? this.#uses.get(hash);
    return use !== undefined && use.at > stored ? use.at : stored;
  }

  /** Moves the token's last use to `at`; `usage` holds its Use from now on. */
  touch(hash: string, at: number, stored: number, underIdleTimeout: boolean, usage?: TokenUsage): void {
    let use = usage?.lastUse ?? this.#uses.get(hash);
    if (use === undefined) {
      use = new Use(at, stored, underIdleTimeout);
      this.#uses.set(hash, use);
    } else if (at > use.at) {
      use.at = at;
      use.underIdleTimeout = underIdleTimeout;
      if (!use.tracked) this.#track(hash, use);
    } else {
      return;
    }
    if (usage !== undefined) {
      usage.lastUse = use;
      if (usage.cached) use.heldIn = this.#hold;
    }
    if (isDue(use)) this.#due.add(hash);
  }

  /** The cache dropped the token holding `usage`: its Use may be forgotten once quiet and written. */
  release(usage: TokenUsage): void {
    if (usage.lastUse !== null) usage.lastUse.heldIn = -1;
  }

  /** The cache dropped every token (at once, without visiting each of a million entries). */
  releaseAll(): void {
    // Modulo HOLDS (a Use keeps its hold in a few bits): a wrap would take 134 million drops of the whole cache.
    this.#hold = (this.#hold + 1) % HOLDS;
  }

  /** A held Use moves again after it was forgotten: the map has it back. */
  #track(hash: string, use: Use): void {
    // Only a touch without the holder's usage can have started another Use meanwhile: keep the newest of both.
    const other = this.#uses.get(hash);
    if (other !== undefined) {
      use.at = Math.max(use.at, other.at);
      use.written = Math.max(use.written, other.written);
      other.tracked = false;
    }
    use.tracked = true;
    this.#uses.set(hash, use);
  }

  forget(hash: string): void {
    const use = this.#uses.get(hash);
    if (use !== undefined) use.tracked = false;
    this.#uses.delete(hash);
    this.#due.delete(hash);
  }

  /** How many moves a flush would write now. */
  get pendingCount(): number {
    return this.#due.size;
  }

  /**
   * Writes every due move and forgets long-written entries. If a write fails its moves stay
   * due for the next flush. Pass `everything` on shutdown to write informational moves too.
   * A flush asked for while one runs starts once it has ended.
   */
  flush(now: number, everything = false): Promise<number> {
    const previous = this.#flushing ?? Promise.resolve(0);
    const next = previous.catch(() => 0).then(() => this.#flushNow(now, everything));
    this.#flushing = next;
    const clear = () => {
      if (this.#flushing === next) this.#flushing = null;
    };
    next.then(clear, clear);
    return next;
  }

  async #flushNow(now: number, everything: boolean): Promise<number> {
    const hashes = new Set(this.#due);
    if (everything) for (const [hash, use] of this.#uses) if (use.at > use.written) hashes.add(hash);
    this.#sweepSlice(now, hashes);
    this.#due = new Set();
    const batch: Array<{ hash: string; lastUsedAt: number }> = [];
    for (const hash of hashes) {
      const use = this.#uses.get(hash);
      if (use !== undefined && use.at > use.written) batch.push({ hash, lastUsedAt: use.at });
    }
    let written = 0;
    try {
      for (let start = 0; start < batch.length; start += ROWS_PER_WRITE) {
        if (start > 0) await new Promise((resolve) => setImmediate(resolve));
        const rows = batch.slice(start, start + ROWS_PER_WRITE);
        await this.#store.touchTokens(rows);
        for (const { hash, lastUsedAt } of rows) {
          const use = this.#uses.get(hash);
          if (use !== undefined && use.written < lastUsedAt) use.written = lastUsedAt;
        }
        written += rows.length;
      }
    } catch (error) {
      // What was not written stays due (a touch since may have queued it already).
      for (const { hash } of batch.slice(written)) if (this.#uses.has(hash)) this.#due.add(hash);
      throw error;
    }
    return written;
  }

  /**
   * Visits the next slice of entries: forgets those unused for a while, fully written and held
   * by no cached token, and queues into `hashes` the unwritten informational move of a quiet one
   * once its granularity has passed, so it is written (and, unless held, forgotten at a later
   * visit) instead of kept unwritten for as long as the token lives, and still at most once per
   * granularity.
   */
  #sweepSlice(now: number, hashes: Set<string>): void {
    this.#sweep ??= this.#uses.entries();
    for (let visited = 0; visited < SWEEP_PER_FLUSH; visited++) {
      const next = this.#sweep.next();
      if (next.done) {
        this.#sweep = null;
        return;
      }
      const [hash, use] = next.value;
      if (now - use.at <= FORGET_AFTER_MS) continue;
      if (use.at !== use.written) {
        if (now - use.written >= INFORMATIONAL_GRANULARITY_MS) hashes.add(hash);
      } else if (use.heldIn !== this.#hold) {
        use.tracked = false;
        this.#uses.delete(hash);
      }
    }
  }
}

function isDue(use: Use): boolean {
  return use.at > use.written && (use.underIdleTimeout || use.at - use.written >= INFORMATIONAL_GRANULARITY_MS);
}
