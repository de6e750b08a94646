/**
 * Readiness (`/health/ready`): the store answers and takes writes. A request never writes for
 * readiness's sake: the store's write probe writes no row, and one probe answers every check for
 * {@link WRITE_PROBE_REUSE_MS}.
 */
import type { ReadinessPort } from './ports/readiness-port.js';

/** How long one write probe answers readiness: a flood of checks costs at most one probe a second. */
const WRITE_PROBE_REUSE_MS = 1000;

export type Readiness = { ready: true } | { ready: false; reason: string };

export class ReadinessProbe {
  readonly #store: ReadinessPort;
  #lastWrite: Promise<string | null> | null = null;
  #writeStartedAt = Number.NEGATIVE_INFINITY;

  constructor(store: ReadinessPort) {
    this.#store = store;
  }

  async check(): Promise<Readiness> {
    try {
      await this.#store.ping();
    } catch (error) {
      return { ready: false, reason: `the store cannot be read${codeOf(error)}` };
    }
    const refused = await this.#writable();
    if (refused !== null) return { ready: false, reason: `the store does not accept writes${refused}` };
    return { ready: true };
  }

  /**
   * The store's {@link ReadinessPort.probeWrite}, run at most once per {@link WRITE_PROBE_REUSE_MS}
   * and shared by the checks that arrive meanwhile. Resolves to null when the store took the
   * write, else to the cause's code in parentheses.
   */
  #writable(): Promise<string | null> {
    const now = performance.now();
    if (this.#lastWrite === null || now - this.#writeStartedAt >= WRITE_PROBE_REUSE_MS) {
      this.#writeStartedAt = now;
      this.#lastWrite = this.#store.probeWrite().then(
        () => null,
        (error: unknown) => codeOf(error),
      );
    }
    return this.#lastWrite;
  }
}

/** ` (SQLITE_BUSY)`, ` (25006)`: the code of the failure or of what it wraps, never its message (it may name hosts or users). */
function codeOf(error: unknown): string {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)) return ` (${code})`;
  }
  return '';
}
