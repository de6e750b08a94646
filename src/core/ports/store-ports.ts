/**
 * Every port core asks of the store, in one: what the services are wired around (services.ts).
 * `src/store`'s Store implements it, and adds only what opens and closes the database.
 */
import type { AdminPort } from './admin-port.js';
import type { ChangesPort } from './changes-port.js';
import type { ConsentPort } from './consent-port.js';
import type { DirectoryPort } from './directory-port.js';
import type { OrganizationPort } from './organization-port.js';
import type { IdentityProviderPort } from './identity-provider-port.js';
import type { ReadinessPort } from './readiness-port.js';
import type { SignInPort } from './sign-in-port.js';
import type { TestClockPort } from './test-clock-port.js';
import type { TokensPort } from './tokens-port.js';
import type { UsagePort } from './usage-port.js';

export interface StorePorts
  extends TokensPort,
    DirectoryPort,
    SignInPort,
    AdminPort,
    ConsentPort,
    ChangesPort,
    ReadinessPort,
    OrganizationPort,
    UsagePort,
    TestClockPort,
    IdentityProviderPort {}
