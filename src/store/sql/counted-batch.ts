/** A batch that knows which of its statements ended sessions or revoked tokens, for an admin action's report. */
import type { UserAccessEnded } from '../../core/ports/admin-port.js';
import type { Statement } from './sql-driver.js';

/**
 * Appends statements to a batch, remembering which of them end sessions and which revoke
 * tokens, so that the batch's per-statement counts add up to what an admin action ended.
 */
export class Counted {
  readonly #batch: Statement[];
  readonly #sessions: number[] = [];
  readonly #tokens: number[] = [];

  constructor(batch: Statement[]) {
    this.#batch = batch;
  }
  sessions(statement: Statement): this {
    this.#sessions.push(this.#batch.push(statement) - 1);
    return this;
  }
  tokens(statement: Statement): this {
    this.#tokens.push(this.#batch.push(statement) - 1);
    return this;
  }
  uncounted(statement: Statement): this {
    this.#batch.push(statement);
    return this;
  }
  /** What the counted statements changed, from the batch's per-statement counts. */
  total(changed: readonly number[]): UserAccessEnded {
    const sum = (indexes: number[]) => indexes.reduce((n, i) => n + (changed[i] ?? 0), 0);
    return { endedSessions: sum(this.#sessions), revokedTokens: sum(this.#tokens) };
  }
}
