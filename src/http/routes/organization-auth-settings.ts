/**
 * The organization's authentication settings (`OrganizationApi`:
 * getOrganizationsAuthenticationSettings, patchOrganizationsAuthenticationSettings), which hold
 * its password policy (core/admin/password-policy.ts). Every `OrgAuthSettings` field is
 * accepted; what tokend does with each is in core/admin/auth-settings.ts and docs/api.md.
 */
import { Type } from '@sinclair/typebox';
import type { OrgAuthSettingsPatch } from '../../core/admin/auth-settings.js';
import { PASSWORD_REQUIREMENT_BOUNDS } from '../../core/admin/password-policy.js';
import type { PasswordRequirements } from '../../core/models.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { requireBody } from '../request-body.js';
import { apiErrorResponses } from '../schemas.js';
import type { RouteServices } from './deps.js';

const MAX_LIST = 100;
const requirementNames = Object.keys(PASSWORD_REQUIREMENT_BOUNDS) as Array<keyof PasswordRequirements>;

/** `PasswordRequirements`: every rule in an answer, any of them in a PATCH. */
function requirementsSchema(partial: boolean) {
  const rules = requirementNames.map((name) => {
    const { min, max } = PASSWORD_REQUIREMENT_BOUNDS[name];
    const schema = Type.Integer({ minimum: min, maximum: max });
    return [name, partial ? Type.Optional(schema) : schema] as const;
  });
  return Type.Object(Object.fromEntries(rules), { additionalProperties: false, title: 'PasswordRequirements' });
}

const settingsFields = (partial: boolean) => ({
  multifactorAuthenticationRequired: Type.Boolean({ description: 'Kept; tokend has no multi-factor sign-in' }),
  domainAllowlistEnabled: Type.Boolean({ description: 'Kept; tokend embeds no application' }),
  domainAllowlist: Type.Array(Type.String({ maxLength: 253 }), { maxItems: MAX_LIST }),
  ipAddressAllowlist: Type.Array(Type.String({ maxLength: 64 }), { maxItems: MAX_LIST, description: 'Kept; tokend restricts no address' }),
  passwordRequirements: requirementsSchema(partial),
  inactivityTimeoutExclusions: Type.Array(Type.String({ maxLength: 500 }), { maxItems: MAX_LIST, description: 'Kept; the idle timeout applies to every API' }),
  universalLogout: Type.Boolean(),
  tokenStorageLocation: Type.String({ maxLength: 100 }),
});

/** A PATCH body: any field, each requirement on its own. */
const OrgAuthSettingsPatchSchema = Type.Partial(Type.Object(settingsFields(true)), { additionalProperties: false, title: 'OrgAuthSettings' });

const { tokenStorageLocation, ...always } = settingsFields(false);
const OrgAuthSettingsSchema = Type.Object({ ...always, tokenStorageLocation: Type.Optional(tokenStorageLocation) }, { title: 'OrgAuthSettings' });

export function organizationAuthSettingsRoutes(operation: DefineOperation, { authSettings }: Pick<RouteServices, 'authSettings'>): void {
  operation(OPERATIONS.getOrganizationsAuthenticationSettings, {
    description:
      'passwordRequirements is the password policy every password set through the API, the command line or a seed must meet (minimum length 8 by default).',
    schema: { response: { 200: OrgAuthSettingsSchema, ...apiErrorResponses(403) } },
    act: (request) => authSettings.read(principalOf(request).organization.id),
  });

  operation<{ Body: OrgAuthSettingsPatch | undefined }>(OPERATIONS.patchOrganizationsAuthenticationSettings, {
    description:
      'Changes the fields the body names, passwordRequirements field by field; the policy judges passwords set from then on. tokend enforces passwordRequirements (but minimumAgeSeconds and expirationDays) and keeps the other fields as given (docs/api.md).',
    schema: { body: OrgAuthSettingsPatchSchema, response: { 200: OrgAuthSettingsSchema, ...apiErrorResponses(403, 413, 415) } },
    act: async (request) => authSettings.patch(principalOf(request).organization, requireBody(request.body, request.headers, 'OrgAuthSettings')),
  });
}
