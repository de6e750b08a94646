/** The test clock's offset over SQL (core/ports/test-clock-port.ts; migration 18): one row. */
import type { SqlDriver } from './sql-driver.js';

export const TEST_CLOCK_SQL = {
  read: 'SELECT offset_ms FROM test_clock WHERE id = 1',
  write: 'UPDATE test_clock SET offset_ms = ? WHERE id = 1',
  add: 'UPDATE test_clock SET offset_ms = offset_ms + ? WHERE id = 1 RETURNING offset_ms',
} as const;

export async function readClockOffset(driver: SqlDriver): Promise<number> {
  const row = await driver.get(TEST_CLOCK_SQL.read, []);
  return row === undefined ? 0 : Number(row.offset_ms);
}

export async function writeClockOffset(driver: SqlDriver, offsetMs: number): Promise<void> {
  await driver.run(TEST_CLOCK_SQL.write, [offsetMs]);
}

export async function addClockOffset(driver: SqlDriver, deltaMs: number): Promise<number> {
  const row = await driver.get(TEST_CLOCK_SQL.add, [deltaMs]);
  return row === undefined ? 0 : Number(row.offset_ms);
}
