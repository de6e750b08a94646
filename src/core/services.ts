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
import { dropHoldersOnChange } from './admin/directory-changes.js';
import { GroupAdmin } from './admin/groups.js';
import { RoleAdmin } from './admin/roles.js';
import { UserAdmin } from './admin/user-admin.js';
import { Authenticator } from './authenticator.js';
import { type ClientAuthLimits, ClientAuthenticator } from './client-auth.js';
import { Consent } from './consent/consent.js';
import { CoreCounts } from './counts.js';
import type { Clock } from './clock.js';
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
  /** Revokes every token, session and code at once (all-access.ts): after a restore from backup. */
  readonly endAllAccess: () => Promise<UserAccessEnded>;
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
}

export function createCore(store: StorePorts, options: ServiceOptions): Services {
  const { clock } = options;
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
  const roles = new RoleAdmin(store, dropHoldersOnChange(authenticator));
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
    permissionCatalogue: new PermissionCatalogue(roles),
    groups: new GroupAdmin(store, dropHoldersOnChange(authenticator), clock),
    authSettings: new AuthSettingsAdmin(store),
    identityProviders: new IdentityProviderAdmin(store, clock),
    audit,
    users: new UserAdmin(store, clock, authenticator, credentials),
    reads: new DirectoryReads(store),
    endAllAccess: () => endAllAccess({ store, clock, authenticator }),
  };
}

const SIGN_IN_RETENTION_MS = 24 * 3600_000;

export interface BackgroundOptions {
  /** How often pending last-use moves are written. */
  flushIntervalMs: number;
  /** How often expired tokens are deleted. */
  purgeIntervalMs: number;
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
  const purge = setInterval(
    run('purge expired tokens', async () => {
      await store.deleteExpired(clock.now());
      // Spent codes stay a day, so a late replay can still revoke what they yielded.
      await store.deleteExpiredSignIns(clock.now() - SIGN_IN_RETENTION_MS);
      await store.deleteOldClientAddresses(clock.now() - REMEMBER_ADDRESS_MS);
      // A redeemed assertion past its expiry is refused for its expiry: its memory can go.
      await store.forgetExpiredAssertions(clock.now());
    }),
    options.purgeIntervalMs,
  );
  flush.unref();
  purge.unref();
  return async () => {
    clearInterval(flush);
    clearInterval(purge);
    await idleClock.flush(clock.now(), true);
  };
}
