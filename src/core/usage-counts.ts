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

/** route → method → tally: the strings are the same objects request after request, so their hashes are cached. */
type ByRoute = Map<string, Map<string, Tally>>;

/**
 * Tallies by client id, then person id, then route, then method: four lookups by strings whose
 * hashes V8 has cached (the cached client's and person's ids, Fastify's route template, node's
 * method), where one key joined per request had to be built, flattened and hashed anew. Measured
 * on one loaded machine: a plain Map increment 80 ns, a count this way 330 ns, by a joined key
 * 1,600 ns.
 */
export class UsageCounts {
  #byClient = new Map<string, Map<string, ByRoute>>();
  #size = 0;

  /** One answered request of `principal`'s token to `route`. */
  count(principal: Principal, httpMethod: string, route: string, status: number): void {
    const tally =
      this.#byClient
        .get(principal.client.id)
        ?.get(principal.user === null ? '' : principal.user.id)
        ?.get(route)
        ?.get(httpMethod) ?? this.#add(principal.organization.id, principal.client.id, principal.user === null ? '' : principal.user.id, httpMethod, route);
    tally.counts[statusIndex(status)]!++;
  }

  /** How many distinct rows are held. */
  get size(): number {
    return this.#size;
  }

  /** What was counted since the last take; counting starts again from nothing. */
  take(): Tally[] {
    const taken: Tally[] = [];
    for (const byUser of this.#byClient.values())
      for (const byRoute of byUser.values()) for (const byMethod of byRoute.values()) for (const tally of byMethod.values()) taken.push(tally);
    this.#byClient = new Map();
    this.#size = 0;
    return taken;
  }

  /** Puts back what a take took and could not write, to be written with the next. */
  restore(tallies: readonly Tally[]): void {
    for (const t of tallies) {
      const tally =
        this.#byClient.get(t.clientId)?.get(t.userId)?.get(t.route)?.get(t.httpMethod) ??
        this.#add(t.organizationId, t.clientId, t.userId, t.httpMethod, t.route);
      t.counts.forEach((n, i) => {
        tally.counts[i]! += n;
      });
    }
  }

  #add(organizationId: string, clientId: string, userId: string, httpMethod: string, route: string): Tally {
    if (this.#size >= MAX_TALLIES && userId !== '') {
      const anonymous = this.#byClient.get(clientId)?.get('')?.get(route)?.get(httpMethod);
      if (anonymous !== undefined) return anonymous;
      userId = '';
    }
    let byUser = this.#byClient.get(clientId);
    if (byUser === undefined) this.#byClient.set(clientId, (byUser = new Map()));
    let byRoute = byUser.get(userId);
    if (byRoute === undefined) byUser.set(userId, (byRoute = new Map()));
    let byMethod = byRoute.get(route);
    if (byMethod === undefined) byRoute.set(route, (byMethod = new Map()));
    const tally: Tally = { organizationId, clientId, userId, httpMethod, route, counts: [0, 0, 0, 0, 0] };
    byMethod.set(httpMethod, tally);
    this.#size++;
    return tally;
  }
}
