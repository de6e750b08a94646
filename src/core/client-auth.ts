/**
 * Client authentication for `/oauth/token` (RFC 6749 §2.3.1, HTTP Basic).
 *
 * Secrets are stored as scrypt hashes (they may be short, chosen by a person in a seed). To keep
 * issuance fast without weakening that storage, a secret verified once is remembered in memory
 * as its SHA-256, tied to the stored hash it was checked against: later logins compare digests
 * in constant time, and a rotated or changed secret no longer matches. Nothing of it is stored.
 *
 * Everything else costs the same (CONTRACT.md, "Sign-in and client-authentication throttling"):
 * a wrong secret of a known client, a client that was never verified here, and an id that does
 * not exist each reserve an attempt (per client id and address, per address, per client id) and
 * run one scrypt through the bounded queue, so neither the answer nor its time tells whether an
 * id exists, and wrong secrets are tried at the pace of the caps, not of a digest comparison.
 * The caps count failures only: a right secret is accepted whenever it can be verified. Past a
 * cap, a secret is still checked once a second per client id, and at most
 * {@link PROBES_PER_SECOND} times a second in all (a probe): a wrong one gets 429, the right one
 * gets in, so nobody's wrong guesses can lock a service out for a window, and a flood of ids
 * past the caps starts no more than those few slow hashes a second.
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
import type { SlowHashPlace, SlowHashQueue } from './throttle/slow-hash-queue.js';
import { DECOY_HASH } from './sign-in/credentials.js';
import type { AttemptsPort } from './ports/attempts-port.js';

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

/** Past a cap, one slow check per client id per this long, and this many a second in all (per node). */
const PROBE_INTERVAL_MS = 1000;
export const PROBES_PER_SECOND = 4;
/** Bounds of the two maps a caller can grow (each entry is one client id). */
export const REMEMBERED_SECRETS = 100_000;
export const PROBE_CLOCKS = 10_000;
const IN_FLIGHT_CHECKS = 10_000;

export class ClientAuthenticator {
  readonly #directory: Directory;
  readonly #clock: Clock;
  readonly #throttle: AttemptThrottle;
  readonly #limits: ClientAuthLimits;
  readonly #slowHashes: SlowHashQueue;
  readonly #counts: CoreCounts;
  /** Verified secrets by client id: only clients that exist and proved their secret get one. */
  readonly verified = new BoundedMap<string, Verified>(REMEMBERED_SECRETS);
  /** When each over-cap client id was last probed. */
  readonly probes = new BoundedMap<string, number>(PROBE_CLOCKS);
  /** Checks under way, by client id and secret digest (bounded like the queue they wait in). */
  readonly #inFlight = new BoundedMap<string, Promise<Client>>(IN_FLIGHT_CHECKS);
  #probeSecond = -1;
  #probesInSecond = 0;

  constructor(
    store: AttemptsPort,
    directory: Directory,
    clock: Clock,
    slowHashes: SlowHashQueue,
    limits: ClientAuthLimits = DEFAULT_CLIENT_AUTH_LIMITS,
    counts: CoreCounts = new CoreCounts(),
  ) {
    this.#directory = directory;
    this.#clock = clock;
    this.#throttle = new AttemptThrottle(store, clock, limits.windowMs);
    this.#limits = limits;
    this.#slowHashes = slowHashes;
    this.#counts = counts;
  }

  /**
   * Returns the client whose id and secret these are, or throws `invalid_client` (the same for
   * an unknown id and a wrong secret), 429 `invalid_client` past a cap, or 429
   * `temporarily_unavailable` when the queue of slow hashes is full.
   */
  async authenticate(clientId: string, secret: string, address: string | undefined): Promise<Client> {
    const client = await this.#directory.client(clientId);
    // A public client (no secret) is no client to authenticate: it is answered as an unknown id.
    const secretHash = client?.secretHash ?? null;
    const digest = fastDigest(secret);
    if (client && secretHash !== null && this.#remembered(client.id, secretHash, digest)) return client;
    // The same id and secret already being checked (a service's first parallel requests after a
    // start): one reservation and one slow hash answer them all, so a right secret sent in
    // parallel is not refused by its own attempts, and a wrong one repeated gets one verdict.
    const flight = `${clientId}\u0000${digest.toString('base64')}`;
    const pending = this.#inFlight.get(flight);
    if (pending) return pending;
    const checking = this.#check(client, secretHash, clientId, secret, digest, address);
    this.#inFlight.set(flight, checking);
    const done = () => this.#inFlight.get(flight) === checking && this.#inFlight.delete(flight);
    checking.then(done, done);
    return checking;
  }

  async #check(
    client: Client | null,
    secretHash: string | null,
    clientId: string,
    secret: string,
    digest: Buffer,
    address: string | undefined,
  ): Promise<Client> {
    // A place in the hash queue first: a request turned away there has written and counted nothing.
    const place = this.#enterQueue();
    const caller = callerAddress(address);
    const own: Limit = { key: throttleKey('client-address', clientId, caller), limit: this.#limits.perClientPerAddress };
    let reservation: Reservation;
    try {
      reservation = await this.#throttle.reserve([
        { key: throttleKey('client-auth-address', caller), limit: this.#limits.perAddress },
        { key: throttleKey('client', clientId), limit: this.#limits.perClient },
        own,
      ]);
    } catch (error) {
      place.leave();
      throw error;
    }
    if (!reservation.reserved) {
      if (!this.#mayProbe(clientId)) {
        place.leave();
        this.#counts.throttleRefusals.add('client_auth');
        throw oauthErrors.clientThrottled(reservation.retryAfterSeconds);
      }
      if (!(await this.#slowCheck(place, secret, secretHash))) {
        this.#counts.throttleRefusals.add('client_auth');
        throw oauthErrors.clientThrottled(reservation.retryAfterSeconds);
      }
      await this.#throttle.clear(own.key);
      return this.#accepted(client as Client, secretHash as string, digest);
    }
    let valid: boolean;
    try {
      valid = await this.#slowCheck(place, secret, secretHash);
    } catch (error) {
      await reservation.abandon();
      throw error;
    }
    // A failure keeps its reservation: it is counted.
    if (!valid) throw oauthErrors.invalidClient();
    await reservation.succeeded([own.key]);
    return this.#accepted(client as Client, secretHash as string, digest);
  }

  #enterQueue(): SlowHashPlace {
    try {
      return this.#slowHashes.enter();
    } catch (error) {
      if (error instanceof SlowHashBusyError) throw oauthErrors.busy(error.retryAfterSeconds);
      throw error;
    }
  }

  /** One scrypt, against the decoy when there is no secret to check: the same time either way. */
  async #slowCheck(place: SlowHashPlace, secret: string, secretHash: string | null): Promise<boolean> {
    const valid = await place.run(() => verifySecret(secret, secretHash ?? DECOY_HASH));
    return valid && secretHash !== null;
  }

  #remembered(clientId: string, secretHash: string, digest: Buffer): boolean {
    const known = this.verified.get(clientId);
    return known !== undefined && known.secretHash === secretHash && constantTimeEqual(known.digest, digest);
  }

  #mayProbe(clientId: string): boolean {
    const now = this.#clock.now();
    const second = Math.floor(now / 1000);
    if (second !== this.#probeSecond) {
      this.#probeSecond = second;
      this.#probesInSecond = 0;
    }
    if (this.#probesInSecond >= PROBES_PER_SECOND) return false;
    const last = this.probes.get(clientId);
    if (last !== undefined && now - last < PROBE_INTERVAL_MS) return false;
    this.#probesInSecond++;
    // Re-inserted, so the map's oldest entries are the ones probed longest ago.
    this.probes.delete(clientId);
    this.probes.set(clientId, now);
    return true;
  }

  #accepted(client: Client, secretHash: string, digest: Buffer): Client {
    this.verified.set(client.id, { secretHash, digest });
    return client;
  }
}

/** Parses `Authorization: Basic base64(id:secret)`; null when absent or malformed. */
export function parseBasicAuthorization(header: string | undefined): { clientId: string; secret: string } | null {
  if (!header) return null;
  const match = /^basic[ \t]+([A-Za-z0-9+/=_-]+)[ \t]*$/i.exec(header);
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  const clientId = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  // RFC 6749 §2.3.1 asks clients to form-urlencode id and secret first, and libraries that follow
  // it (openid-client) encode every '-' of a UUID as %2D; the Genesys SDKs send both raw, and a
  // raw secret may contain '%'. Client ids are UUIDs, which never hold '%': an id with one was
  // encoded, and its secret with it.
  if (!clientId.includes('%')) return { clientId, secret };
  const id = formDecode(clientId);
  const password = formDecode(secret);
  return id === null || password === null || id === '' ? null : { clientId: id, secret: password };
}

/** application/x-www-form-urlencoded decoding of one value; null when malformed. */
function formDecode(value: string): string | null {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return null;
  }
}
