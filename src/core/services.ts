/**
 * Core's wiring: `createCore(store, settings)` builds everything the HTTP layer and the command
 * line use, once, around one store and one clock. The server (server/build-app.ts) and the CLI
 * (cli/admin-store.ts) both call it, so an admin command runs the same rules and cache drops as
 * the API. The store is here for whoever composes the services (opening, seeding, background
 * jobs, tests); routes and commands reach it only through the services beside it.
 */
import { Account } from './account.js';
import { Admission } from './admission.js';
import { AuditTrail } from './audit.js';
import { AuthSettingsAdmin } from './admin/auth-settings.js';
import { IdentityProviderAdmin } from './admin/identity-providers.js';
import { endAllAccess } from './admin/all-access.js';
import { ClientAdmin } from './admin/clients.js';
import { DirectoryReads } from './admin/directory-reads.js';
import { LiveTokens } from './admin/live-tokens.js';
import { OrganizationAdmin } from './admin/organization.js';
import { dropHoldersOnChange } from './admin/directory-changes.js';
import { DivisionAdmin } from './admin/divisions.js';
import { GrantAdmin } from './admin/grants.js';
import { GroupAdmin } from './admin/groups.js';
import { RoleHolders } from './admin/role-holders.js';
import { RoleAdmin } from './admin/roles.js';
import { UserAdmin } from './admin/user-admin.js';
import { Authenticator } from './authenticator.js';
import { type ClientAuthLimits, ClientAuthenticator } from './client-auth.js';
import { ClientUsage, nextUsageFlushDelay } from './client-usage.js';
import { Consent } from './consent/consent.js';
import { CoreCounts } from './counts.js';
import { type Clock, OffsetClock } from './clock.js';
import { Directory } from './directory.js';
import { IdleClock } from './idle-clock.js';
import { IdleTimeouts } from './idle-timeout.js';
import { IssuanceLimit } from './issuance-limit.js';
import { TokenIssuer } from './issuer.js';
import { authorizationCodeGrant } from './grants/authorization-code.js';
import { refreshTokenGrant } from './grants/refresh-token.js';
import { saml2BearerGrant } from './grants/saml2-bearer.js';
import { Permissions } from './permissions.js';
import { PermissionCatalogue } from './permission-catalogue.js';
import { DEFAULT_RATE_LIMIT_PER_MINUTE, RateLimiter } from './rate-limit.js';
import { ReadinessProbe } from './readiness.js';
import { Revocation } from './revocation.js';
import { CredentialChecker } from './sign-in/credentials.js';
import { Devices } from './sign-in/devices.js';
import { SignInFlow } from './sign-in/flow.js';
import { Sessions } from './sign-in/sessions.js';
import { SignInThrottle, type ThrottleLimits } from './sign-in/throttle.js';
import { REMEMBER_ADDRESS_MS } from './throttle/client-addresses.js';
import { SlowHashQueue, type SlowHashLimits } from './throttle/slow-hash-queue.js';
import { TestClock } from './test-clock.js';
import { TokenEndpoint } from './token-endpoint.js';
import type { UserAccessEnded } from './ports/admin-port.js';
import type { StorePorts } from './ports/store-ports.js';

export interface Services {
  readonly store: StorePorts;
  readonly clock: Clock;
  readonly directory: Directory;
  readonly idleClock: IdleClock;
  readonly authenticator: Authenticator;
  /** The decision on every bearer request: token, rate limit, scope, person, permission (operations/table.ts). */
  readonly admission: Admission;
  readonly clients: ClientAuthenticator;
  readonly issuer: TokenIssuer;
  readonly tokenEndpoint: TokenEndpoint;
  readonly credentials: CredentialChecker;
  readonly devices: Devices;
  /** Every slow hash an unauthenticated request starts waits here (bounded). */
  readonly slowHashes: SlowHashQueue;
  readonly sessions: Sessions;
  /** What the services counted, for the metrics endpoint (counts.ts). */
  readonly counts: CoreCounts;
  /** `/health/ready`: the store answers and takes writes. */
  readonly readiness: ReadinessProbe;
  /** The API's permission checks, by the caller's roles. */
  readonly permissions: Permissions;
  /** The sign-in pages' authorization requests, organizations and redirects. */
  readonly signIn: SignInFlow;
  readonly account: Account;
  /** People's Allows of apps: the consent page, the account page, `GET /api/v2/oauth/authorizations`. */
  readonly consent: Consent;
  readonly revocation: Revocation;
  readonly idleTimeouts: IdleTimeouts;
  /** The OAuth clients API's admin core; this node's caches drop what its writes change. */
  readonly clientAdmin: ClientAdmin;
  readonly roles: RoleAdmin;
  /** The people who hold a role: listed, given it, or relieved of it. */
  readonly roleHolders: RoleHolders;
  /** The permissions tokend knows: enforced by the table of operations, or named by the organization's roles. */
  readonly permissionCatalogue: PermissionCatalogue;
  /** The groups API's admin core; a membership change drops its members' cached tokens here, other nodes hear it from the store. */
  readonly groups: GroupAdmin;
  /** The organization's authentication settings: its password policy. */
  readonly authSettings: AuthSettingsAdmin;
  /** The organization's SAML identity providers; nothing caches them (the SAML2 bearer grant reads them at each redemption). */
  readonly identityProviders: IdentityProviderAdmin;
  /** One line per admin action (audit.ts): the doors record, the host attaches where lines go. */
  readonly audit: AuditTrail;
  /** The users API's admin core; a change of a person drops their cached tokens here, other nodes hear it from the store. */
  readonly users: UserAdmin;
  /** The reads across organizations that the command line lists from. */
  readonly reads: DirectoryReads;
  /** A person's or a client's live tokens, without the tokens themselves (`tokend tokens list`). */
  readonly liveTokens: LiveTokens;
  /** Revokes every token, session and code at once (all-access.ts): after a restore from backup. */
  readonly endAllAccess: () => Promise<UserAccessEnded>;
  /** The organization's divisions (AuthorizationApi). */
  readonly divisions: DivisionAdmin;
  /** People's grants of roles in divisions; a change drops the person's cached tokens here, other nodes hear it from the store. */
  readonly grants: GrantAdmin;
  /** `GET`/`PUT /api/v2/organizations/me`: the organization, its kept fields and version. */
  readonly organizations: OrganizationAdmin;
  /** Per-client request counts: counted on the request path, written by the background jobs (client-usage.ts). */
  readonly clientUsage: ClientUsage;
  /** The test clock (test-clock.ts), only when the server started with test controls on; null otherwise. */
  readonly testClock: TestClock | null;
}

export interface ServiceOptions {
  clock: Clock;
  /** `TOKEND_PUBLIC_URL` as checked (config.ts): where a server's token endpoint is reached. */
  publicUrl?: string;
  tokenCacheSize: number;
  /** Requests per token per minute (rate-limit.ts). */
  rateLimitPerMinute?: number;
  idleSettleMs?: number;
  signInThrottle?: ThrottleLimits;
  clientAuthThrottle?: ClientAuthLimits;
  slowHashes?: SlowHashLimits;
  /** Tokens issued per client per minute on this node (issuance-limit.ts); none when absent. */
  issueRateLimitPerMinute?: number;
  /**
   * Test controls on (`TOKEND_TEST_CONTROLS=1`): `clock` plus an offset a test moves
   * (test-clock.ts) is the one clock of every service. Off, `clock` itself: nothing is added.
   */
  testControls?: boolean;
}

export function createCore(store: StorePorts, options: ServiceOptions): Services {
  const offsetClock = options.testControls === true ? new OffsetClock(options.clock) : null;
  const clock = offsetClock ?? options.clock;
  const directory = new Directory(store);
  const idleClock = new IdleClock(store);
  const counts = new CoreCounts();
  const authenticator = new Authenticator(store, directory, clock, idleClock, {
    cacheSize: options.tokenCacheSize,
    idleSettleMs: options.idleSettleMs ?? 0,
    counts,
  });
  const slowHashes = new SlowHashQueue(options.slowHashes);
  const clients = new ClientAuthenticator(store, directory, clock, slowHashes, options.clientAuthThrottle, counts);
  const issuer = new TokenIssuer(
    store,
    clock,
    options.issueRateLimitPerMinute === undefined ? null : new IssuanceLimit(options.issueRateLimitPerMinute, clock),
    counts,
    authenticator,
  );
  const devices = new Devices(store, clock);
  const credentials = new CredentialChecker(store, new SignInThrottle(store, clock, options.signInThrottle), devices, slowHashes, counts);
  const tokenEndpoint = new TokenEndpoint({ store, clock, directory, clients, issuer, authenticator, credentials });
  tokenEndpoint.register(authorizationCodeGrant);
  tokenEndpoint.register(refreshTokenGrant);
  // Only a server has a public URL: the bearer Recipient an assertion must name.
  if (options.publicUrl !== undefined) tokenEndpoint.register(saml2BearerGrant({ providers: store, publicUrl: options.publicUrl }));
  const sessions = new Sessions(store, clock, authenticator);
  const permissions = new Permissions(store);
  const audit = new AuditTrail();
  const directoryChanges = dropHoldersOnChange(authenticator);
  const roles = new RoleAdmin(store, directoryChanges);
  const divisions = new DivisionAdmin(store, clock);
  return {
    store,
    clock,
    directory,
    idleClock,
    authenticator,
    admission: new Admission(authenticator, new RateLimiter(options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE, clock), permissions),
    clients,
    issuer,
    tokenEndpoint,
    credentials,
    devices,
    slowHashes,
    sessions,
    counts,
    readiness: new ReadinessProbe(store),
    permissions,
    signIn: new SignInFlow(store, clock, issuer),
    account: new Account({ store, clock, idleClock, authenticator }),
    consent: new Consent({ store, clock, authenticator, counts, audit }),
    revocation: new Revocation({ store, clock, authenticator }),
    idleTimeouts: new IdleTimeouts(store, authenticator),
    clientAdmin: new ClientAdmin(store, clock, { clientChanged: (id) => authenticator.clientChanged(id) }),
    roles,
    roleHolders: new RoleHolders(store, clock, directoryChanges),
    permissionCatalogue: new PermissionCatalogue(roles),
    groups: new GroupAdmin(store, dropHoldersOnChange(authenticator), clock),
    authSettings: new AuthSettingsAdmin(store),
    identityProviders: new IdentityProviderAdmin(store, clock),
    audit,
    users: new UserAdmin(store, clock, authenticator, credentials),
    reads: new DirectoryReads(store),
    liveTokens: new LiveTokens(store, clock),
    endAllAccess: () => endAllAccess({ store, clock, authenticator }),
    divisions,
    grants: new GrantAdmin(store, divisions, clock, authenticator),
    organizations: new OrganizationAdmin(store, authenticator),
    clientUsage: new ClientUsage(store, clock),
    testClock: offsetClock === null ? null : new TestClock(offsetClock, store, authenticator),
  };
}

const SIGN_IN_RETENTION_MS = 24 * 3600_000;

export interface BackgroundOptions {
  /** How often pending last-use moves are written. */
  flushIntervalMs: number;
  /** How often expired tokens are deleted. */
  purgeIntervalMs: number;
  /** How often per-client request counts are written (client-usage.ts); a minute unless a test asks for less. */
  usageFlushIntervalMs: number;
  onError: (job: string, error: unknown) => void;
}

/** Starts the periodic jobs; returns a function that stops them and writes what is pending. */
export function startBackgroundJobs(services: Services, options: BackgroundOptions): () => Promise<void> {
  const { idleClock, store, clock } = services;
  const run = (job: string, work: () => Promise<unknown>) => () => {
    work().catch((error) => options.onError(job, error));
  };
  // A flush that outlasts the interval (a slow database) is not queued behind by more of them.
  let flushing = false;
  const flush = setInterval(
    run('flush last use', async () => {
      if (flushing) return;
      flushing = true;
      try {
        await idleClock.flush(clock.now());
      } finally {
        flushing = false;
      }
    }),
    options.flushIntervalMs,
  );
  // Replay memory (spent codes, rotated refresh tokens, redeemed SAML assertions) is kept until the later of its real and
  // its test-clock expiry: a test clock moved back to real time cannot reopen a replay.
  const replayNow = clock instanceof OffsetClock ? () => Math.min(clock.now(), clock.realNow()) : () => clock.now();
  const purge = setInterval(
    run('purge expired tokens', async () => {
      await store.deleteExpired(clock.now());
      // Spent codes stay a day, so a late replay can still revoke what they yielded.
      await store.deleteExpiredSignIns(replayNow() - SIGN_IN_RETENTION_MS);
      await store.deleteOldClientAddresses(clock.now() - REMEMBER_ADDRESS_MS);
      // A redeemed assertion past its expiry is refused for its expiry: its memory can go.
      await store.forgetExpiredAssertions(replayNow());
    }),
    options.purgeIntervalMs,
  );
  flush.unref();
  purge.unref();
  // A timer per flush, not an interval: each batch also ends at UTC midnight, so it counts in one day.
  let usageTimer: NodeJS.Timeout | null = null;
  const scheduleUsageFlush = () => {
    usageTimer = setTimeout(
      () => {
        services.clientUsage
          .flush(clock.now())
          .catch((error) => options.onError('flush client usage', error))
          .finally(() => {
            if (usageTimer !== null) scheduleUsageFlush();
          });
      },
      nextUsageFlushDelay(clock.now(), options.usageFlushIntervalMs),
    );
    usageTimer.unref();
  };
  scheduleUsageFlush();
  return async () => {
    clearInterval(flush);
    clearInterval(purge);
    if (usageTimer !== null) clearTimeout(usageTimer);
    usageTimer = null;
    await idleClock.flush(clock.now(), true);
    // Usage counts are not worth failing a shutdown for: a store that cannot take them now is reported, and they are lost.
    await services.clientUsage.flush(clock.now()).catch((error) => options.onError('flush client usage', error));
  };
}
