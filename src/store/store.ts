/**
 * The one storage interface of tokend: every port core defines (`src/core/ports/`, one by role:
 * tokens, directory, sign-in, admin and seed, consent, changes, readiness, organization, usage,
 * test clock, identity providers; listed once, in `StorePorts`) and what opens and closes the
 * database. Every backend (SQLite in `sqlite/`, PostgreSQL in `postgres/`, both over the shared
 * `sql/`) implements it and passes the same suite in `test/store/`. Methods are named for what
 * they do, not CRUD.
 *
 * Concurrency rules (they hold for every backend, and for several processes on one database):
 * - Every method is atomic: a caller sees all of its change or none of it.
 * - {@link Store.applySeed} and the admin writes run in one transaction each.
 * - {@link Store.touchTokens} only moves `lastUsedAt` forward and never touches a revoked
 *   token: it cannot revive what a concurrent revoke ended.
 * - {@link Store.revokeToken} and {@link Store.revokeUserTokens} are idempotent and keep the
 *   first `revokedAt`.
 * - A token is written only while its client and user are active, read atomically with the
 *   write ({@link Store.insertToken}, and the writes of {@link Store.consumeCode} and
 *   {@link Store.rotateRefreshToken}): an issuance and a disable never interleave, so an enable
 *   brings back no token written after the disable's revocation.
 * - A store that cannot reach its database throws `StoreUnavailableError`.
 * - Revocations and admin writes resolve once they would survive a power loss; token inserts,
 *   last use and sign-in bookkeeping once they would survive a crash of the process
 *   (`Survives` in sql/sql-driver.ts; docs/operations.md, "Durability").
 * - Browser sign-in (codes, refresh rotation, sessions, throttling) has its own rules on each
 *   method of its port; the two races that matter are single-use codes
 *   ({@link Store.consumeCode}) and refresh rotation ({@link Store.rotateRefreshToken}): of N
 *   callers racing on one code or one refresh token, on any number of nodes, exactly one wins.
 */
import type { StorePorts } from '../core/ports/store-ports.js';

/** Every port core asks of the store (core/ports/store-ports.ts, the one list of them), and its lifecycle. */
export interface Store extends StorePorts {
  /** Applies pending schema migrations; safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}
