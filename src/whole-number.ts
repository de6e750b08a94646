/** How every numeric setting is read (config.ts, the PostgreSQL pool's settings), with one message. */

/** `raw` as a whole number from `min` to `max`; a refusal naming the setting and the range otherwise. */
export function wholeNumber(name: string, raw: string, min: number, max: number): number {
  // Digits only: Number() would also take ' 8080', '1e3' and '0x10' as numbers.
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name}=${raw} is not valid: expected a whole number from ${min} to ${max}`);
  }
  return value;
}
