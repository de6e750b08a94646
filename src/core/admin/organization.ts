/**
 * The organization as the SDK's Organization (`GET`/`PUT /api/v2/organizations/me`). tokend keeps
 * its name (the one people type to sign in, unique in core's normal form), a version, and the
 * fields it answers back as given (language, country, domain, two URIs). The fields of a Genesys
 * service tokend does not run are fixed (docs/api.md, "Organization"): it has no sites, no
 * voicemail, no telephony or contact-centre features, and every organization is active on the
 * Genesys Cloud platform. A PUT may send them back as read, and no other value.
 */
import type { Authenticator } from '../authenticator.js';
import { ApiError, errors } from '../errors.js';
import type { Organization, OrganizationDetails } from '../models.js';
import { sameInNormalForm } from '../normal-form.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import type { OrganizationPort } from '../ports/organization-port.js';
import { nameProblem } from './directory-rules.js';

/** The feature flags of OrganizationFeatures: a Genesys Cloud organization with a directory, and nothing of telephony or contact centre. */
export const ORGANIZATION_FEATURES: Readonly<Record<string, boolean>> = Object.freeze({
  realtimeCIC: false,
  purecloud: true,
  hipaa: false,
  ucEnabled: false,
  pci: false,
  purecloudVoice: false,
  xmppFederation: false,
  chat: false,
  informalPhotos: false,
  directory: true,
  contactCenter: false,
  unifiedCommunications: false,
  custserv: false,
});

/** The fields of a Genesys service tokend does not run, as it answers them for every organization. */
export const FIXED_ORGANIZATION_FIELDS = Object.freeze({
  state: 'active',
  productPlatform: 'PureCloud',
  voicemailEnabled: false,
  defaultSiteId: '',
});

const DETAIL_DEFAULTS: Required<OrganizationDetails> = Object.freeze({
  defaultLanguage: 'en-us',
  defaultCountryCode: 'US',
  domain: '',
  thirdPartyURI: '',
  supportURI: '',
});

export const DETAIL_FIELDS = Object.keys(DETAIL_DEFAULTS) as Array<keyof OrganizationDetails>;

/** Every field of the SDK's Organization but selfUri. */
export function organizationFields(organization: Organization) {
  return {
    id: organization.id,
    name: organization.name,
    ...DETAIL_DEFAULTS,
    ...organization.details,
    // What Genesys calls the short name people type to sign in: tokend's organization name.
    thirdPartyOrgName: organization.name,
    features: { ...ORGANIZATION_FEATURES },
    version: organization.version ?? 1,
    ...FIXED_ORGANIZATION_FIELDS,
  };
}

/** A PUT body: the SDK's Organization. `version` is the one read; fields left out keep their value. */
export interface OrganizationPut extends OrganizationDetails {
  version: number;
  name?: string;
  id?: string;
  thirdPartyOrgName?: string;
  features?: Record<string, boolean>;
  state?: string;
  productPlatform?: string;
  voicemailEnabled?: boolean;
  defaultSiteId?: string;
  selfUri?: string;
}

const invalid = (fieldName: string, message: string) => new ApiError(400, 'invalid.value', message, { details: [{ errorCode: 'invalid.value', fieldName }] });
const conflict = (organization: Organization, fieldName: string, message: string) =>
  new ApiError(409, 'general.conflict', message, {
    details: [{ errorCode: 'general.conflict', fieldName, entityId: organization.id, entityName: organization.name }],
  });

const staleVersion = (organization: Organization, version: number) =>
  conflict(organization, 'version', `the organization is no longer at version ${version}: read it again and retry`);

export class OrganizationAdmin {
  readonly #store: OrganizationPort & Pick<DirectoryPort, 'findOrganization'>;
  readonly #changes: Pick<Authenticator, 'organizationChanged'>;

  constructor(store: OrganizationPort & Pick<DirectoryPort, 'findOrganization'>, changes: Pick<Authenticator, 'organizationChanged'>) {
    this.#store = store;
    this.#changes = changes;
  }

  /** The organization as stored now (a cached principal's may be a change behind). */
  async read(organizationId: string): Promise<Organization> {
    const organization = await this.#store.findOrganization(organizationId);
    if (!organization) throw errors.notFound('The organization no longer exists.', organizationId);
    return organization;
  }

  /**
   * Stores the name and kept fields `put` gives over the stored ones, at `put.version`. 400 for
   * a fixed field sent with another value or a bad name; 409 for a stale version or a name
   * another organization has; nothing is written unless all is well.
   */
  async update(organizationId: string, put: OrganizationPut): Promise<Organization> {
    const current = await this.read(organizationId);
    // A GET-modify-PUT from a stale read learns that first, whatever else it holds (the store checks again as it writes).
    if (put.version !== current.version) throw staleVersion(current, put.version);
    const name = put.name ?? current.name;
    const problem = nameProblem(name);
    if (problem) throw invalid('name', `the organization name ${problem}`);
    checkFixed(current, name, put);
    const details: OrganizationDetails = { ...current.details };
    for (const field of DETAIL_FIELDS) if (put[field] !== undefined) details[field] = put[field];
    const outcome = await this.#store.updateOrganization(current.id, { name, details }, put.version);
    if (outcome === 'missing') throw errors.notFound('The organization no longer exists.', current.id);
    if (outcome === 'stale') throw staleVersion(current, put.version);
    if (outcome === 'name-taken')
      throw conflict(current, 'name', `another organization is named ${JSON.stringify(name)} (names are compared in any letter case): choose another name`);
    // Cached tokens carry the organization (its name is their thirdPartyOrgName): they are read anew.
    this.#changes.organizationChanged(current.id);
    return { ...current, name, details, version: put.version + 1 };
  }
}

/** A fixed field (or id, selfUri, thirdPartyOrgName) may come back as read; any other value is 400 naming it. */
function checkFixed(current: Organization, name: string, put: OrganizationPut): void {
  const read = organizationFields(current);
  if (put.id !== undefined && put.id !== current.id) throw invalid('id', `id: the organization is ${current.id}; an id cannot be changed`);
  if (put.selfUri !== undefined && put.selfUri !== `/api/v2/organizations/${current.id}`) throw invalid('selfUri', 'selfUri: cannot be changed');
  if (put.thirdPartyOrgName !== undefined && !sameInNormalForm(put.thirdPartyOrgName, current.name) && !sameInNormalForm(put.thirdPartyOrgName, name))
    throw invalid('thirdPartyOrgName', 'thirdPartyOrgName: in tokend it is the organization name; change name instead');
  for (const [field, value] of Object.entries(FIXED_ORGANIZATION_FIELDS) as Array<[keyof typeof FIXED_ORGANIZATION_FIELDS, unknown]>) {
    if (put[field] !== undefined && put[field] !== value)
      throw invalid(field, `${field}: fixed at ${JSON.stringify(value)} in tokend (docs/api.md, "Organization")`);
  }
  for (const [feature, enabled] of Object.entries(put.features ?? {})) {
    if (read.features[feature] !== enabled)
      throw invalid(
        `features.${feature}`,
        `features.${feature}: ${feature in read.features ? `fixed at ${String(read.features[feature])}` : 'not a feature'} in tokend (docs/api.md, "Organization")`,
      );
  }
}
