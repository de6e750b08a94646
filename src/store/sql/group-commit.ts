/**
 * Group commit for token inserts. Every commit has a fixed cost: on SQLite a WAL append and its
 * locks, system calls that were a third of a client-credentials issuance (docs/performance.md);
 * on PostgreSQL a round trip and a WAL flush to disk. Inserts
 * requested in the same turn of the event loop (concurrent issuances) are committed together,
 * each caller's promise settling only once its row is committed, so nothing a caller can
 * observe changes: when `insertToken` resolves, it says whether the token is stored (an insert
 * is conditional: sql-token-store.ts). Where commits are
 * asynchronous, a limit on those under way at once lets the next batch grow while one runs.
 */
import type { Statement } from './sql-driver.js';

interface Pending {
  statement: Statement;
  resolve: (written: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Commits statements together (one transaction) and says, for each in order, whether it wrote
 * its row; may answer synchronously (SQLite) or not.
 */
export type CommitMany = (statements: readonly Statement[]) => readonly boolean[] | Promise<readonly boolean[]>;
/** Runs one statement on its own; whether it wrote its row. */
export type RunOne = (statement: Statement) => boolean | Promise<boolean>;

export interface GroupCommitOptions {
  /** The most statements in one transaction. */
  maxBatch?: number;
  /**
   * The most commits under way at once: what arrives meanwhile waits, and goes as one batch
   * when one of them ends. An asynchronous store (PostgreSQL) takes 1: one commit at a time
   * makes batches as large as the load, and each commit's fixed cost (a transaction, a WAL
   * flush) is paid once for all of them.
   */
  maxInFlight?: number;
}

export class GroupCommit {
  readonly #commitMany: CommitMany;
  readonly #runOne: RunOne;
  readonly #maxBatch: number;
  readonly #maxInFlight: number;
  #pending: Pending[] = [];
  /** Batches being committed now. */
  #inFlight = 0;

  /** `commitMany` commits statements in one transaction; `runOne` runs one on its own. */
  constructor(
    commitMany: CommitMany,
    runOne: RunOne,
    { maxBatch = Number.POSITIVE_INFINITY, maxInFlight = Number.POSITIVE_INFINITY }: GroupCommitOptions = {},
  ) {
    this.#commitMany = commitMany;
    this.#runOne = runOne;
    this.#maxBatch = maxBatch;
    this.#maxInFlight = maxInFlight;
  }

  /** Resolves once `statement` is committed, with whatever else arrived in this turn: whether it wrote its row. */
  run(statement: Statement): Promise<boolean> {
    return new Promise((resolve, reject) => {
      // setImmediate runs after every socket made readable in this poll phase was read.
      if (this.#pending.length === 0) setImmediate(() => this.#flushWhenFree());
      this.#pending.push({ statement, resolve, reject });
    });
  }

  /**
   * Commits everything waiting now, however many commits are under way (also called on
   * close). On a synchronous store the writes are done when this returns; the promise settles
   * when every batch has.
   */
  flush(): Promise<void> {
    const pending = this.#pending;
    this.#pending = [];
    const batches: Array<Promise<void>> = [];
    for (let start = 0; start < pending.length; start += this.#maxBatch) batches.push(this.#counted(pending.slice(start, start + this.#maxBatch)));
    return Promise.all(batches).then(() => undefined);
  }

  /** Starts committing what waits, unless as many commits as allowed are under way: the end of one starts it then. */
  #flushWhenFree(): void {
    if (this.#pending.length > 0 && this.#inFlight < this.#maxInFlight) void this.flush();
  }

  async #counted(batch: Pending[]): Promise<void> {
    this.#inFlight++;
    try {
      await this.#commit(batch);
    } finally {
      this.#inFlight--;
      this.#flushWhenFree();
    }
  }

  async #commit(batch: Pending[]): Promise<void> {
    if (batch.length > 1) {
      try {
        const written = await this.#commitMany(batch.map((p) => p.statement));
        for (const [i, p] of batch.entries()) p.resolve(written[i] === true);
        return;
      } catch {
        // One failing row must not fail the others: each on its own, with its own answer.
      }
    }
    await Promise.all(
      batch.map(async (p) => {
        try {
          p.resolve(await this.#runOne(p.statement));
        } catch (error) {
          p.reject(error);
        }
      }),
    );
  }
}
