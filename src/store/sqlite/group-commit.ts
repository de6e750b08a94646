/**
 * Group commit for token inserts. On SQLite every commit costs a WAL append and its locks,
 * system calls that took ~300 us of a ~870 us client-credentials issuance on this project's
 * 2-core machines (profile of POST /oauth/token under `npm run bench`). Inserts requested in
 * the same turn of the event loop (concurrent issuances) are committed together in one transaction, each
 * caller's promise settling only once its row is committed, so nothing a caller can observe
 * changes: when `insertToken` resolves, the token is stored.
 */
import type { Statement } from '../sql/sql-store.js';

interface Pending {
  statement: Statement;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  readonly #commit: (statements: readonly Statement[]) => void;
  readonly #runOne: (statement: Statement) => void;
  #pending: Pending[] = [];

  /** `commit` runs statements in one transaction; `runOne` runs one on its own. */
  constructor(commit: (statements: readonly Statement[]) => void, runOne: (statement: Statement) => void) {
    this.#commit = commit;
    this.#runOne = runOne;
  }

  /** Resolves once `statement` is committed, with whatever else arrived in this turn. */
  run(statement: Statement): Promise<void> {
    return new Promise((resolve, reject) => {
      // setImmediate runs after every socket made readable in this poll phase was read.
      if (this.#pending.length === 0) setImmediate(() => this.flush());
      this.#pending.push({ statement, resolve, reject });
    });
  }

  /** Commits everything waiting now (also called on close). */
  flush(): void {
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    if (batch.length > 1) {
      try {
        this.#commit(batch.map((p) => p.statement));
        for (const p of batch) p.resolve();
        return;
      } catch {
        // One failing row must not fail the others: each on its own, with its own answer.
      }
    }
    for (const p of batch) {
      try {
        this.#runOne(p.statement);
        p.resolve();
      } catch (error) {
        p.reject(error);
      }
    }
  }
}
