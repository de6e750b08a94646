/**
 * The `expand` values of `GET /api/v2/users/me`. tokend fills `organization` and `token`; the
 * other values Genesys knows name things tokend has no notion of (presence, stations, skills...),
 * so they are accepted and change nothing, as Genesys resolves expands "with a best effort
 * approach". A value Genesys does not know is a typo: 400 naming it.
 */
import { ApiError } from './errors.js';

export const FILLED_USER_EXPANDS = ['organization', 'token'] as const;
export type FilledUserExpand = (typeof FILLED_USER_EXPANDS)[number];

/** The rest of Genesys' list for getUsersMe (the official SDKs' documentation of the parameter). */
export const IGNORED_USER_EXPANDS = [
  'routingStatus',
  'presence',
  'integrationPresence',
  'conversationSummary',
  'outOfOffice',
  'geolocation',
  'station',
  'authorization',
  'lasttokenissued',
  'dateLastLogin',
  'authorization.unusedRoles',
  'team',
  'workPlanBidRanks',
  'externalContactsSettings',
  'profileSkills',
  'certifications',
  'locations',
  'groups',
  'skills',
  'languages',
  'languagePreference',
  'employerInfo',
  'biography',
  'dateWelcomeSent',
  'date',
  'geolocationsettings',
  'presencedefinitions',
  'divisionedpresencedefinitions',
  'locationdefinitions',
  'orgauthorization',
  'orgproducts',
  'favorites',
  'superiors',
  'directreports',
  'adjacents',
  'routingskills',
  'routinglanguages',
  'fieldconfigs',
  'trustors',
  'logCapture',
  'customAttributes',
] as const;

const ACCEPTED_USER_EXPANDS: readonly string[] = [...FILLED_USER_EXPANDS, ...IGNORED_USER_EXPANDS];

// Genesys' own spellings mix cases (`lasttokenissued`, `dateLastLogin`): any case is accepted.
const CANONICAL = new Map<string, string>(ACCEPTED_USER_EXPANDS.map((value) => [value.toLowerCase(), value]));

/** The expands tokend fills; throws 400 `invalid.query.param.value` for a value Genesys does not know. */
export function userExpands(values: readonly string[]): Set<FilledUserExpand> {
  const filled = new Set<FilledUserExpand>();
  for (const value of values) {
    const canonical = CANONICAL.get(value.toLowerCase());
    if (canonical === undefined) {
      throw new ApiError(
        400,
        'invalid.query.param.value',
        `Invalid value for parameter expand: ${JSON.stringify(value).slice(0, 120)} is not a known expand.`,
        {
          details: [{ errorCode: 'invalid.query.param.value', fieldName: 'expand' }],
        },
      );
    }
    if ((FILLED_USER_EXPANDS as readonly string[]).includes(canonical)) filled.add(canonical as FilledUserExpand);
  }
  return filled;
}
