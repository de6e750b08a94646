/**
 * Client authentication for `/oauth/token`, `/oauth/introspect` and `/oauth/revoke` (RFC 6749
 * §2.3.1, HTTP Basic), under the rules of CONTRACT.md, "Sign-in and client-authentication
 * throttling".
 *
 * Failures are counted per client id and address, per address, and per client id from all
 * addresses (throttle/attempts.ts), unknown ids exactly like known ones. **A cap answers 429
 * whatever the secret**: a guess is decided only once it holds a reservation under every
 * count, and a remembered right secret is refused wherever a count is at its cap, so past a cap
 * nothing about the secret is learnt. Once a client id is at its cap from
 * all addresses, the addresses it authenticated from in the last 30 days (client-addresses.ts)
 * are exempt from that one cap, so failures from elsewhere cannot shut a service out.
 *
 * Secrets are stored as scrypt hashes (they may be short, chosen by a person in a seed). To keep
 * issuance fast without weakening that storage, a secret verified once is remembered in memory
 * as its SHA-256, tied to the stored hash it was checked against (a rotated secret no longer
 * matches). The remembered secret is accepted without a store round trip only where this node
 * knows that no failure can be counted (throttle/failure-marks.ts); anywhere else it is judged
 * by the counts as they stand, the guesses in flight included (their reservations are counted),
 * without a slow hash and without counting itself: a right secret is no failure, so a service's
 * own parallel requests cannot refuse one another.
 *
 * Everything else costs the same: a wrong secret of a known client, a client that was never
 * verified here, and an id that does not exist each take a place in the bounded queue, reserve
 * an attempt and run one scrypt, so neither the answer nor its time tells whether an id exists.
 */
import { BoundedMap } from './bounded-map.js';
import type { Clock } from './clock.js';
import { CoreCounts } from './counts.js';
import type { Directory } from './directory.js';
import { oauthErrors, SlowHashBusyError } from './errors.js';
import type { Client } from './models.js';
import { constantTimeEqual, fastDigest, verifySecret } from './secrets.js';
import { AttemptThrottle, type Limit, type Reservation, throttleKey } from './throttle/attempts.js';
import { callerAddress } from './throttle/caller-address.js';
import { ClientAddresses } from './throttle/client-addresses.js';
import { FailureMarks } from './throttle/failure-marks.js';
import type { SlowHashPlace, SlowHashQueue } from './throttle/slow-hash-queue.js';
import { DECOY_HASH } from './sign-in/credentials.js';
import type { AttemptsPort } from './ports/attempts-port.js';
import type { ChangesPort } from './ports/changes-port.js';

interface Verified {
  secretHash: string;
  digest: Buffer;
}

export interface ClientAuthLimits {
  windowMs: number;
  perClientPerAddress: number;
  perAddress: number;
  perClient: number;
}

export const DEFAULT_CLIENT_AUTH_LIMITS: ClientAuthLimits = { windowMs: 15 * 60_000, perClientPerAddress: 5, perAddress: 20, perClient: 50 };

/** Bounds of the maps a caller can grow: remembered secrets (one per existing client), checks in flight. */
export const REMEMBERED_SECRETS = 100_000;
const IN_FLIGHT_CHECKS = 10_000;
const REMEMBERED_CALLERS = 10_000;

/** Who is authenticating, from where, and the counts that hold the attempt. */
interface Caller {
  clientId: string;
  address: string;
  /** The client exists and has a secret: its counts can gate a remembered secret, so they are marked. */
  real: boolean;
  keys: { address: string; client: string; own: string };
}

export class ClientAuthenticator {
  readonly #directory: Directory;
  readonly #store: AttemptsPort;
  readonly #throttle: AttemptThrottle;
  readonly #limits: ClientAuthLimits;
  readonly #slowHashes: SlowHashQueue;
  readonly #counts: CoreCounts;
  /** Verified secrets by client id: only clients that exist and proved their secret get one. */
  readonly verified = new BoundedMap<string, Verified>(REMEMBERED_SECRETS);
  /** The addresses each client authenticated from (in the store, and the recent ones here). */
  readonly addresses: ClientAddresses;
  /** Where failures may be counted, as far as this node knows without asking. */
  readonly marks: FailureMarks;
  /** Callers that authenticated, by client id and address, their keys hashed once: only a success adds one. */
  readonly #callers = new BoundedMap<string, Caller>(REMEMBERED_CALLERS);
  /** Checks under way, by client id, address and secret digest (bounded like the queue they wait in). */
  readonly #inFlight = new BoundedMap<string, Promise<Client>>(IN_FLIGHT_CHECKS);

  constructor(
    store: AttemptsPort & ChangesPort,
    directory: Directory,
    clock: Clock,
    slowHashes: SlowHashQueue,
    limits: ClientAuthLimits = DEFAULT_CLIENT_AUTH_LIMITS,
    counts: CoreCounts = new CoreCounts(),
  ) {
    this.#directory = directory;
    this.#store = store;
    this.#throttle = new AttemptThrottle(store, clock, limits.windowMs);
    this.#limits = limits;
    this.#slowHashes = slowHashes;
    this.#counts = counts;
    this.addresses = new ClientAddresses(store, clock);
    this.marks = new FailureMarks(store, clock, limits.windowMs);
  }

  /**
   * Returns the client whose id and secret these are, or throws `invalid_client` (the same for
   * an unknown id and a wrong secret), 429 `invalid_client` at a cap, or 429
   * `temporarily_unavailable` when the places of the slow-hash queue open to this caller are taken.
   */
  async authenticate(clientId: string, secret: string, address: string | undefined): Promise<Client> {
    const client = await this.#directory.client(clientId);
    // A public client (no secret) is no client to authenticate: it is answered as an unknown id.
    const secretHash = client?.secretHash ?? null;
    const caller = this.#caller(clientId, callerAddress(address), client !== null && secretHash !== null);
    const digest = fastDigest(secret);
    if (client && secretHash !== null && this.#remembered(client.id, secretHash, digest)) {
      // At once where no failure can be counted: the path of nearly every issuance, kept free of awaits.
      const remembered = this.addresses.knows(client.id, caller.address);
      const { keys } = caller;
      if (this.marks.allClean(remembered ? [keys.address, keys.own] : [keys.address, keys.client, keys.own])) {
        const written = this.#succeeded(caller);
        if (written !== null) await written;
        return client;
      }
      return this.#rightSecret(client, caller, remembered);
    }
    // The same id and secret already being checked from this address (a service's first parallel
    // requests after a start): one reservation and one slow hash answer them all, so a right
    // secret sent in parallel is not refused by its own attempts. Never across addresses: a
    // caller at its cap would get the verdict of another's check.
    const flight = `${clientId}\u0000${caller.address}\u0000${digest.toString('base64')}`;
    const pending = this.#inFlight.get(flight);
    if (pending) return pending;
    const checking = this.#check(client, secretHash, caller, secret, digest);
    this.#inFlight.set(flight, checking);
    const done = () => this.#inFlight.get(flight) === checking && this.#inFlight.delete(flight);
    checking.then(done, done);
    return checking;
  }

  /**
   * A secret this node verified before, where failures may be counted: decided by the counts as
   * they stand, guesses in flight included (no slow hash). Read, not reserved: a right secret is
   * no failure, so a service's parallel requests never refuse one another.
   */
  async #rightSecret(client: Client, caller: Caller, remembered: boolean): Promise<Client> {
    const epoch = this.marks.epoch;
    const reservation = await this.#throttle.peek(this.#capsOf(caller, remembered));
    if (!reservation.reserved) throw this.#refused(caller, reservation);
    await reservation.succeeded([caller.keys.own]);
    this.#seenClean(reservation.alone, epoch);
    await this.#succeeded(caller);
    return client;
  }

  async #check(client: Client | null, secretHash: string | null, caller: Caller, secret: string, digest: Buffer): Promise<Client> {
    // Marked before the first await: a remembered secret sent meanwhile from here waits its turn.
    const ended = this.marks.attempt(markedKeys(caller));
    try {
      // A place in the hash queue first: a request turned away there has written and counted nothing.
      const place = await this.#enterQueue(caller);
      const epoch = this.marks.epoch;
      let reservation: Reservation;
      try {
        reservation = await this.#reserve(caller, this.addresses.knows(caller.clientId, caller.address));
      } catch (error) {
        place.leave();
        throw error;
      }
      if (!reservation.reserved) {
        place.leave();
        throw this.#refused(caller, reservation);
      }
      let valid: boolean;
      try {
        valid = await place.run(() => verifySecret(secret, secretHash ?? DECOY_HASH));
      } catch (error) {
        await reservation.abandon();
        throw error;
      }
      if (!client || secretHash === null || !valid) {
        // A failure keeps its reservation: it is counted, and every node hears of it.
        const keys = markedKeys(caller);
        for (const key of keys) this.marks.mark(key);
        await this.#store.announceFailures?.(keys);
        throw oauthErrors.invalidClient();
      }
      await reservation.succeeded([caller.keys.own]);
      ended();
      this.#seenClean(reservation.alone, epoch);
      this.verified.set(client.id, { secretHash, digest });
      await this.#succeeded(caller);
      return client;
    } finally {
      ended();
    }
  }

  /**
   * One attempt under the address, the client id and the two together, broadest first. An
   * address the client authenticated from is not held to the client id's cap: skipped when this
   * node knows it, else asked of the store only once that cap is reached. Only a client that
   * exists is asked about: an unknown id has no address, and has paid its read of the store
   * already (the directory remembers only clients that exist), so both cost one read.
   */
  #reserve(caller: Caller, remembered: boolean): Promise<Reservation> {
    return this.#throttle.reserve(this.#capsOf(caller, remembered));
  }

  /** The counts an attempt of this caller is held to, broadest first. */
  #capsOf(caller: Caller, remembered: boolean): Limit[] {
    const limits: Limit[] = [{ key: caller.keys.address, limit: this.#limits.perAddress }];
    if (!remembered) {
      limits.push({
        key: caller.keys.client,
        limit: this.#limits.perClient,
        exemptWhenFull: async () => caller.real && (await this.addresses.remembered(caller.clientId, caller.address)),
      });
    }
    limits.push({ key: caller.keys.own, limit: this.#limits.perClientPerAddress });
    return limits;
  }

  /**
   * A place in the slow-hash queue. When the places open to anyone are taken, a client id from an
   * address it authenticated from takes one of those kept for known callers (the store is asked
   * when this node does not know: after a restart, say; not for an unknown id, as above).
   */
  async #enterQueue(caller: Caller): Promise<SlowHashPlace> {
    const known = caller.real && this.addresses.knows(caller.clientId, caller.address);
    try {
      return this.#slowHashes.enter(known);
    } catch (error) {
      if (!(error instanceof SlowHashBusyError)) throw error;
      if (known || !caller.real || !(await this.addresses.remembered(caller.clientId, caller.address))) throw oauthErrors.busy(error.retryAfterSeconds);
    }
    try {
      return this.#slowHashes.enter(true);
    } catch (error) {
      if (error instanceof SlowHashBusyError) throw oauthErrors.busy(error.retryAfterSeconds);
      throw error;
    }
  }

  #refused(caller: Caller, refusal: { retryAfterSeconds: number; refusedBy: string }): Error {
    // The key at its cap is marked, so that a remembered secret is decided by a reservation there
    // too. That key only: a refusal costs no slow hash, and marking the keys of each fresh
    // address refused at a client's cap would let anyone fill the map at line rate.
    if (markedKeys(caller).includes(refusal.refusedBy)) this.marks.mark(refusal.refusedBy);
    this.#counts.throttleRefusals.add('client_auth');
    return oauthErrors.clientThrottled(refusal.retryAfterSeconds);
  }

  /** Who calls: the keys of a caller that authenticated before are not hashed again (they are most of the requests). */
  #caller(clientId: string, address: string, real: boolean): Caller {
    return (real && this.#callers.get(`${clientId}\u0000${address}`)) || callerOf(clientId, address, real);
  }

  /** After a success: the caller's keys are kept, and its address remembered. */
  #succeeded(caller: Caller): Promise<void> | null {
    this.#callers.set(`${caller.clientId}\u0000${caller.address}`, caller);
    return this.addresses.succeeded(caller.clientId, caller.address);
  }

  #seenClean(alone: readonly string[], epoch: number): void {
    for (const key of alone) this.marks.seenClean(key, epoch);
  }

  #remembered(clientId: string, secretHash: string, digest: Buffer): boolean {
    const known = this.verified.get(clientId);
    return known !== undefined && known.secretHash === secretHash && constantTimeEqual(known.digest, digest);
  }
}

function callerOf(clientId: string, address: string, real: boolean): Caller {
  return {
    clientId,
    address,
    real,
    keys: {
      address: throttleKey('client-auth-address', address),
      client: throttleKey('client', clientId),
      own: throttleKey('client-address', clientId, address),
    },
  };
}

/** The keys a failure marks: the address always; the client's own only for a client that exists (ids sent at random would fill the map). */
function markedKeys(caller: Caller): string[] {
  return caller.real ? [caller.keys.address, caller.keys.client, caller.keys.own] : [caller.keys.address];
}
