/**
 * Per-client request counts on the request path (client-usage.ts writes them): one Map
 * increment per answered `/api/v2` request of an authenticated token, the fast lane's among
 * them, and no I/O. Route templates stay in Fastify's spelling here and are turned into the
 * SDK's when written, once per row rather than per request.
 */
import type { Principal } from './principal.js';

/** The status classes of the SDK's ApiUsageRow, in this order. */
export const STATUS_METRICS = ['status200', 'status300', 'status400', 'status429', 'status500'] as const;
export type StatusMetric = (typeof STATUS_METRICS)[number];

/**
 * Most distinct rows held between two writes. Past it, a new person's requests count under the
 * client without the person (`userId` ''), so the memory stays bounded whoever calls, and the
 * client's totals per route stay exact.
 */
export const MAX_TALLIES = 50_000;

export interface Tally {
  readonly organizationId: string;
  readonly clientId: string;
  readonly userId: string;
  readonly httpMethod: string;
  /** Fastify's route template (`/api/v2/tokens/:userId`). */
  readonly route: string;
  /** By {@link STATUS_METRICS}. */
  readonly counts: number[];
}

function statusIndex(status: number): number {
  if (status === 429) return 3;
  if (status < 300) return 0;
  if (status < 400) return 1;
  if (status < 500) return 2;
  return 4;
}

export class UsageCounts {
  #tallies = new Map<string, Tally>();

  /** One answered request of `principal`'s token to `route`. */
  count(principal: Principal, httpMethod: string, route: string, status: number): void {
    const clientId = principal.client.id;
    const userId = principal.user === null ? '' : principal.user.id;
    let tally = this.#tallies.get(`${clientId} ${userId} ${httpMethod} ${route}`);
    if (tally === undefined) tally = this.#add(principal.organization.id, clientId, userId, httpMethod, route);
    tally.counts[statusIndex(status)]!++;
  }

  /** How many distinct rows are held. */
  get size(): number {
    return this.#tallies.size;
  }

  /** What was counted since the last take; counting starts again from nothing. */
  take(): Tally[] {
    const taken = [...this.#tallies.values()];
    this.#tallies = new Map();
    return taken;
  }

  /** Puts back what a take took and could not write, to be written with the next. */
  restore(tallies: readonly Tally[]): void {
    for (const t of tallies) {
      const tally =
        this.#tallies.get(`${t.clientId} ${t.userId} ${t.httpMethod} ${t.route}`) ?? this.#add(t.organizationId, t.clientId, t.userId, t.httpMethod, t.route);
      t.counts.forEach((n, i) => {
        tally.counts[i]! += n;
      });
    }
  }

  #add(organizationId: string, clientId: string, userId: string, httpMethod: string, route: string): Tally {
    if (this.#tallies.size >= MAX_TALLIES && userId !== '') {
      const anonymous = this.#tallies.get(`${clientId}  ${httpMethod} ${route}`);
      if (anonymous !== undefined) return anonymous;
      userId = '';
    }
    const tally: Tally = { organizationId, clientId, userId, httpMethod, route, counts: [0, 0, 0, 0, 0] };
    this.#tallies.set(`${clientId} ${userId} ${httpMethod} ${route}`, tally);
    return tally;
  }
}
