/** Polling for a state a test waits for (a connection seen lost, a server ready again). */

/** Resolves once `check` holds, to the milliseconds it took; rejects after `ms`, naming `what`. */
export async function until(check: () => Promise<boolean> | boolean, ms: number, what = 'the condition'): Promise<number> {
  const start = performance.now();
  while (!(await check())) {
    if (performance.now() - start > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return performance.now() - start;
}
