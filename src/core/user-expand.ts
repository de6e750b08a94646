/**
 * The `expand` values of the users API (CONTRACT.md, "The directory and authorization planes"):
 * each operation honours exactly the values its own SDK method lists (getUsersMe has
 * `organization`, `token`, `date`, ... that getUser has not), in any letter case (Genesys's own
 * spellings mix them: `lasttokenissued`, `dateLastLogin`); any other value is 400
 * `invalid.query.param.value` naming it.
 *
 * What each value shows (http/render-user-expands.ts): the identity plane for real
 * ({@link IDENTITY_EXPANDS}); values of domains tokend does not run (presence, routing, stations,
 * skills, ...) as Genesys shows a person who never used a Genesys client app: Offline,
 * OFF_QUEUE, empty lists, no station (docs/api.md, "Expands").
 */
import { ApiError } from './errors.js';

/** getUser and getUsers (the SDK reference's list). */
export const USER_EXPANDS = [
  'routingStatus',
  'presence',
  'integrationPresence',
  'conversationSummary',
  'outOfOffice',
  'geolocation',
  'station',
  'authorization',
  'lasttokenissued',
  'authorization.unusedRoles',
  'team',
  'workPlanBidRanks',
  'profileSkills',
  'certifications',
  'locations',
  'groups',
  'skills',
  'languages',
  'languagePreference',
  'employerInfo',
  'biography',
  'dateLastLogin',
] as const;

/** getUsersMe: the person's own values and the organization's around them (the JS SDK's list: 43 values). */
export const USER_ME_EXPANDS = [
  ...USER_EXPANDS,
  'externalContactsSettings',
  'dateWelcomeSent',
  'date',
  'geolocationsettings',
  'organization',
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
  'token',
  'trustors',
  'logCapture',
  'customAttributes',
] as const;

export type UserExpand = (typeof USER_ME_EXPANDS)[number];

/** The values tokend answers from its own data; the others are fixed (http/render-user-expands.ts). */
export const IDENTITY_EXPANDS: readonly UserExpand[] = [
  'authorization',
  'authorization.unusedRoles',
  'groups',
  'lasttokenissued',
  'dateLastLogin',
  'organization',
  'token',
  'orgauthorization',
  'orgproducts',
  'date',
];

/** What one operation accepts: its values by their lower-case spelling. */
export class ExpandList {
  readonly #byLowerCase: Map<string, UserExpand>;
  readonly operationId: string;
  readonly values: readonly UserExpand[];

  constructor(operationId: string, values: readonly UserExpand[]) {
    this.operationId = operationId;
    this.values = values;
    this.#byLowerCase = new Map(values.map((value) => [value.toLowerCase(), value]));
  }

  /** The values asked, as the SDK spells them; 400 `invalid.query.param.value` for one the operation does not list. */
  parse(asked: readonly string[]): Set<UserExpand> {
    const expands = new Set<UserExpand>();
    for (const value of asked) {
      const known = this.#byLowerCase.get(value.toLowerCase());
      if (known === undefined) {
        throw new ApiError(
          400,
          'invalid.query.param.value',
          `Invalid value for parameter expand: ${JSON.stringify(value).slice(0, 120)} is not an expand of ${this.operationId}.`,
          { details: [{ errorCode: 'invalid.query.param.value', fieldName: 'expand' }] },
        );
      }
      expands.add(known);
    }
    return expands;
  }
}

export const USER_EXPAND_LIST = new ExpandList('getUser', USER_EXPANDS);
export const USERS_EXPAND_LIST = new ExpandList('getUsers', USER_EXPANDS);
export const USER_ME_EXPAND_LIST = new ExpandList('getUsersMe', USER_ME_EXPANDS);
/** The search request's `expand` (UserSearchRequest): ours, the values of getUser, as its results are Users. */
export const USER_SEARCH_EXPAND_LIST = new ExpandList('postUsersSearch', USER_EXPANDS);
