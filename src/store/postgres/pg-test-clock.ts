/**
 * The test clock's moves on PostgreSQL (core/test-clock.ts): each move is stored and announced
 * in one statement, so the notifications of two moves arrive at every node in the order the
 * database made them (PostgreSQL delivers notifications in commit order). A node applies moves
 * only as they arrive, its own included: applying its own answer as well could put an older
 * offset after a newer one when two nodes advance at once. A move resolves once its node heard
 * it, so a test that moved the clock reads the moved clock on that node next.
 */
import { randomUUID } from 'node:crypto';
import type { SqlDriver } from '../sql/sql-driver.js';
import { TEST_CLOCK_SQL } from '../sql/sql-test-clock.js';
import { TEST_CLOCK_CHANNEL } from './notify-triggers.js';

/** How long a move waits to hear itself before the node applies it anyway (its LISTEN connection is down). */
const HEAR_OWN_MOVE_MS = 2000;

const ADD = `WITH moved AS (${TEST_CLOCK_SQL.add})
  SELECT offset_ms, pg_notify(?, offset_ms::text || ' ' || ?::text) IS NULL AS sent FROM moved`;
const WRITE = `WITH moved AS (${TEST_CLOCK_SQL.write} RETURNING offset_ms)
  SELECT offset_ms, pg_notify(?, offset_ms::text || ' ' || ?::text) IS NULL AS sent FROM moved`;

/** Reads a notification: "<offset ms> <move id>"; a node of the release before move ids sends the offset alone. */
function clockPayload(payload: string): { offsetMs: number; moveId: string } | null {
  const [offset = '', moveId = ''] = payload.split(' ', 2);
  const offsetMs = Number(offset);
  return offset !== '' && Number.isSafeInteger(offsetMs) ? { offsetMs, moveId } : null;
}

export class PgClockMoves {
  readonly #driver: SqlDriver;
  readonly #nodeId = randomUUID();
  #moves = 0;
  /** Moves of this node not heard yet, by id; each leaves on being heard or after HEAR_OWN_MOVE_MS. */
  readonly #waiting = new Map<string, () => void>();
  readonly #listeners: Array<(offsetMs: number) => void> = [];

  constructor(driver: SqlDriver) {
    this.#driver = driver;
  }

  /** Adds to the stored offset and tells every node; resolves with the new offset once this node applied it. */
  add(deltaMs: number): Promise<number> {
    return this.#move(ADD, deltaMs);
  }

  async write(offsetMs: number): Promise<void> {
    await this.#move(WRITE, offsetMs);
  }

  /** Calls `listener` with each offset any node stored, in the order the database stored them. */
  watch(listener: (offsetMs: number) => void): void {
    this.#listeners.push(listener);
  }

  /** A notification on TEST_CLOCK_CHANNEL, from any node. */
  heard(payload: string): void {
    const move = clockPayload(payload);
    if (move === null) return;
    for (const listener of this.#listeners) listener(move.offsetMs);
    this.#waiting.get(move.moveId)?.();
  }

  async #move(sql: string, value: number): Promise<number> {
    const moveId = `${this.#nodeId}.${++this.#moves}`;
    let timer: NodeJS.Timeout | undefined;
    const heard = new Promise<boolean>((resolve) => {
      this.#waiting.set(moveId, () => resolve(true));
      timer = setTimeout(() => resolve(false), HEAR_OWN_MOVE_MS);
    });
    try {
      const row = await this.#driver.get(sql, [value, TEST_CLOCK_CHANNEL, moveId]);
      if (row === undefined) return 0; // no clock row: nothing stored, nothing announced
      const offsetMs = Number(row.offset_ms);
      // Not heard in time: notifications are not arriving, and a reconnect reads the offset again (core/test-clock.ts).
      if (!(await heard)) for (const listener of this.#listeners) listener(offsetMs);
      return offsetMs;
    } finally {
      clearTimeout(timer);
      this.#waiting.delete(moveId);
    }
  }
}
