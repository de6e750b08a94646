/**
 * An organization's authentication settings (the SDK's `OrgAuthSettings`,
 * `GET`/`PATCH /api/v2/organizations/authentication/settings`). Every field is accepted, as
 * Terraform's `genesyscloud_organization_authentication_settings` sends all of them; a PATCH
 * changes the fields it names (inside `passwordRequirements` too) and keeps the others.
 *
 * What tokend enforces is the password policy (password-policy.ts). The other fields are kept
 * and answered back, and change nothing in tokend (docs/api.md lists them): it has no
 * multi-factor sign-in, no address or domain allow-list, no per-API idle exclusions, no
 * universal logout, and stores no token in a browser.
 */
import { ApiError, errors } from '../errors.js';
import type { Organization, OrgAuthSettings, PasswordRequirements } from '../models.js';
import type { AdminPort } from '../ports/admin-port.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import { DEFAULT_PASSWORD_REQUIREMENTS, PASSWORD_REQUIREMENT_BOUNDS } from './password-policy.js';

export const DEFAULT_ORG_AUTH_SETTINGS: Readonly<OrgAuthSettings> = Object.freeze({
  multifactorAuthenticationRequired: false,
  domainAllowlistEnabled: false,
  domainAllowlist: [],
  ipAddressAllowlist: [],
  passwordRequirements: { ...DEFAULT_PASSWORD_REQUIREMENTS },
  inactivityTimeoutExclusions: [],
  universalLogout: false,
});

/** A PATCH body: any field, `passwordRequirements` field by field. */
export type OrgAuthSettingsPatch = Partial<Omit<OrgAuthSettings, 'passwordRequirements'>> & { passwordRequirements?: Partial<PasswordRequirements> };

/** Stored settings over the defaults (a field added since they were stored takes its default). */
function withDefaults(stored: OrgAuthSettings | null): OrgAuthSettings {
  return {
    ...DEFAULT_ORG_AUTH_SETTINGS,
    ...stored,
    passwordRequirements: { ...DEFAULT_PASSWORD_REQUIREMENTS, ...stored?.passwordRequirements },
  };
}

export class AuthSettingsAdmin {
  readonly #store: AdminPort & DirectoryPort;

  constructor(store: AdminPort & DirectoryPort) {
    this.#store = store;
  }

  async read(organizationId: string): Promise<OrgAuthSettings> {
    return withDefaults(await this.#store.findAuthSettings(organizationId));
  }

  /**
   * Merges `patch` over the stored settings and stores them. The new password policy applies to
   * passwords set from now on. A requirement out of its bounds is 400 naming the field.
   */
  async patch(organization: Organization, patch: OrgAuthSettingsPatch): Promise<OrgAuthSettings> {
    const current = await this.read(organization.id);
    const { passwordRequirements, ...fields } = patch;
    const next: OrgAuthSettings = { ...current, ...fields, passwordRequirements: { ...current.passwordRequirements, ...passwordRequirements } };
    for (const [rule, { min, max }] of Object.entries(PASSWORD_REQUIREMENT_BOUNDS) as Array<[keyof PasswordRequirements, { min: number; max: number }]>) {
      const value = next.passwordRequirements[rule];
      if (!Number.isInteger(value) || value < min || value > max) {
        const fieldName = `passwordRequirements.${rule}`;
        throw new ApiError(400, 'invalid.value', `${fieldName}: must be an integer from ${min} to ${max}`, {
          details: [{ errorCode: 'invalid.value', fieldName }],
        });
      }
    }
    if (!(await this.#store.saveAuthSettings(organization.id, next))) throw errors.notFound('The organization no longer exists.', organization.id);
    return next;
  }
}
