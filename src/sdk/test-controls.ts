/**
 * `TestControls`: a test moves tokend's clock and sets faults (tokend only; a server started with
 * `TOKEND_TEST_CONTROLS=1`, see docs/testing-your-app.md). `fetch` alone, like the rest of the SDK.
 *
 * @example
 * ```ts
 * const controls = new TestControls({ baseUrl: 'http://127.0.0.1:8080' });
 * await controls.advance(301); // a 300-second token is now expired
 * await controls.fault({ match: { path: '/api/v2/tokens/me' }, respond: { status: 429, retryAfterSeconds: 2 }, times: 2 });
 * await controls.reset();
 * ```
 */
import { apiErrorFrom, readJson } from './response.js';

/** tokend's clock: `now` as it reads it, and how far it is ahead of real time. */
export interface TestClockState {
  /** ISO-8601. */
  now: string;
  offsetSeconds: number;
}

/** What a fault matches and answers (CONTRACT.md, "A clock and faults for tests"). */
export interface FaultSpec {
  match: { method?: string; path?: string; clientId?: string };
  respond: { status?: 429 | 500 | 502 | 503 | 504; retryAfterSeconds?: number; delayMs?: number };
  /** How many matching requests it answers (default 1). */
  times?: number;
  /** The chance, 0 to 1, that a matching request gets it (default 1). */
  probability?: number;
}

export interface Fault extends Required<FaultSpec> {
  id: string;
  /** Answers still to give. */
  remaining: number;
}

export interface TestControlsOptions {
  /** tokend's origin, such as `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** `TOKEND_TEST_CONTROLS_TOKEN`, when the server was given one. */
  token?: string;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
}

const PREFIX = '/api/v2/tokend/test/';

export class TestControls {
  readonly #base: string;
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: TestControlsOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.token;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** The clock as tokend reads it. */
  clock(): Promise<TestClockState> {
    return this.#call<TestClockState>('GET', 'clock');
  }

  /** Moves tokend's clock forward by `seconds` (more than 0), on every node. */
  advance(seconds: number): Promise<TestClockState> {
    return this.#call<TestClockState>('POST', 'clock/advance', { seconds });
  }

  /** Back to real time; what ended while the clock was ahead stays ended. */
  reset(): Promise<TestClockState> {
    return this.#call<TestClockState>('POST', 'clock/reset');
  }

  /** Sets a fault; the next matching requests get its answer. */
  fault(spec: FaultSpec): Promise<Fault> {
    return this.#call<Fault>('POST', 'faults', spec);
  }

  /** The faults still set. */
  async faults(): Promise<Fault[]> {
    return (await this.#call<{ entities: Fault[] }>('GET', 'faults')).entities;
  }

  /** Removes one fault, or every fault when no id is given. */
  async clearFaults(id?: string): Promise<void> {
    await this.#call<undefined>('DELETE', id === undefined ? 'faults' : `faults/${encodeURIComponent(id)}`);
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.#base}${PREFIX}${path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#token !== undefined) headers.authorization = `Bearer ${this.#token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.#fetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (!response.ok) throw await apiErrorFrom(response, { method, url }, this.#token !== undefined, Date.now());
    return (await readJson(response)) as T;
  }
}
