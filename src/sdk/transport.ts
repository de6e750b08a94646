import type { Clock } from './clock.js';
import type { Deadline } from './deadline.js';
import { NetworkError } from './errors/network-error.js';
import { delayAfterNetworkError, delayAfterStatus, parseRetryAfter, type RetrySettings } from './retry.js';

/** What one request needs besides its URL: the client's fetch, clock and retry settings. */
export interface Transport {
  fetch: typeof fetch;
  clock: Clock;
  random: () => number;
  retry: RetrySettings;
}

/** One HTTP request, ready to send (and to send again). */
export interface Outgoing {
  method: string;
  url: URL;
  headers: Headers;
  body?: string;
}

/**
 * Sends a request, and sends it again while {@link delayAfterStatus} or
 * {@link delayAfterNetworkError} allow and the wait ends before the deadline. Returns
 * the last response, whatever its status; throws a {@link NetworkError} when no
 * response came, or the abort reason.
 */
export async function send(request: Outgoing, deadline: Deadline, transport: Transport): Promise<Response> {
  const { clock, random, retry } = transport;
  const described = { method: request.method, url: request.url.href };
  const fits = (delay: number) => clock.now() + delay < deadline.endsAt;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await transport.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal: deadline.signal,
      });
    } catch (error) {
      if (deadline.signal.aborted) throw deadline.signal.reason;
      const delay = delayAfterNetworkError(request.method, attempt, retry, random);
      if (delay === undefined || !fits(delay)) throw new NetworkError(described, attempt, error);
      await clock.sleep(delay, deadline.signal);
      continue;
    }
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), clock.now());
    const delay = delayAfterStatus(response.status, retryAfter, request.method, attempt, retry, random);
    // A wait that would outlast the call's timeout is not begun: the answer in hand
    // (a 429 with its retryAfter) tells the caller more than a TimeoutError would.
    if (delay === undefined || !fits(delay)) return response;
    await response.body?.cancel();
    await clock.sleep(delay, deadline.signal);
  }
}
