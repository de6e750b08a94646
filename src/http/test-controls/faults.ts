/**
 * Faults a test sets (CONTRACT.md, "A clock and faults for tests"): the next requests that match
 * get an error or a delay, as many times as asked, with a probability. Kept in memory on the node
 * that was asked, bounded; matched after authentication (fault-hook.ts), so a fault never changes
 * stored state: it answers before the handler runs, or only delays it.
 */
import { randomUUID } from 'node:crypto';

export const FAULT_STATUSES = [429, 500, 502, 503, 504] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];
/** Faults kept at once: a test that keeps adding and never clears gets 400, not unbounded memory. */
export const MAX_FAULTS = 100;
export const MAX_DELAY_MS = 25_000;

export interface FaultSpec {
  match: { method?: string; path?: string; clientId?: string };
  respond: { status?: FaultStatus; retryAfterSeconds?: number; delayMs?: number };
  times: number;
  probability: number;
}

export interface Fault extends FaultSpec {
  id: string;
  /** Answers still to give; the fault is gone at 0. */
  remaining: number;
}

/** What a request is, for matching: its method, the route template matched, its path, and its authenticated client. */
export interface FaultTarget {
  method: string;
  route: string | undefined;
  path: string;
  clientId: string | null;
}

export class FaultList {
  #faults: Fault[] = [];
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  /** How many faults are set: the fast lane hands every request on while there is one. */
  get size(): number {
    return this.#faults.length;
  }

  /** Adds a fault; null when {@link MAX_FAULTS} are set already. */
  add(spec: FaultSpec): Fault | null {
    if (this.#faults.length >= MAX_FAULTS) return null;
    const fault: Fault = { ...spec, id: randomUUID(), remaining: spec.times };
    this.#faults.push(fault);
    return fault;
  }

  list(): readonly Fault[] {
    return this.#faults;
  }

  remove(id: string): boolean {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((fault) => fault.id !== id);
    return this.#faults.length < before;
  }

  clear(): void {
    this.#faults = [];
  }

  /** The first fault matching `target` that its probability lets fire, counted; null for none. */
  take(target: FaultTarget): Fault | null {
    for (const fault of this.#faults) {
      if (!matches(fault, target)) continue;
      if (fault.probability < 1 && this.#random() >= fault.probability) continue;
      fault.remaining--;
      if (fault.remaining <= 0) this.remove(fault.id);
      return fault;
    }
    return null;
  }
}

function matches({ match }: Fault, target: FaultTarget): boolean {
  if (match.method !== undefined && match.method !== target.method) return false;
  if (match.path !== undefined && match.path !== target.route && match.path !== target.path) return false;
  return match.clientId === undefined || match.clientId === target.clientId;
}

/** A fault as the test controls show it. */
export function faultView(fault: Fault) {
  return { id: fault.id, match: fault.match, respond: fault.respond, times: fault.times, probability: fault.probability, remaining: fault.remaining };
}
