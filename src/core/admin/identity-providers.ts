/**
 * The organization's SAML identity providers (the SDK's `IdentityProviderApi`), for the API, the
 * seed and `tokend idp`: a vendor path's one provider (`generic`, `okta`, `adfs`, `ping`,
 * `gsuite`, `onelogin`, `salesforce`) or any number of `custom` ones by id, each with the SAML
 * fields every provider model of the SDK shares.
 *
 * Nothing caches a provider: the SAML2 bearer grant reads the organization's providers from the
 * store at each redemption, so a change (a new certificate, a disable, a delete) applies on every
 * node from the next token request. `metadataURL` is kept and answered back, never fetched.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { ApiError, errors } from '../errors.js';
import type { IdentityProviderKind, IdentityProviderPort, IdentityProviderRecord, SamlProviderFields } from '../ports/identity-provider-port.js';
import { certificateExpired, parseCertificate } from '../saml/certificates.js';

/** The vendor paths, each holding at most one provider, and the name each gets when none is given. */
export const VENDOR_KINDS = {
  generic: 'Generic SAML',
  okta: 'Okta',
  adfs: 'ADFS',
  ping: 'Ping Identity',
  gsuite: 'G Suite',
  onelogin: 'OneLogin',
  salesforce: 'Salesforce',
} as const satisfies Partial<Record<IdentityProviderKind, string>>;
export type VendorKind = keyof typeof VENDOR_KINDS;

export const isVendorKind = (value: string): value is VendorKind => Object.hasOwn(VENDOR_KINDS, value);

export const SSO_PERMISSIONS = {
  view: 'sso:provider:view',
  add: 'sso:provider:add',
  edit: 'sso:provider:edit',
  delete: 'sso:provider:delete',
} as const;

/** A provider as written: any of the SDK model's fields (`certificate` and `certificates` both feed the certificates). */
export type ProviderInput = Partial<Omit<SamlProviderFields, 'certificates'>> & { certificate?: string; certificates?: string[] };

/** The SDK's `GenericSAML`/`CustomProvider`/`Okta`/... as answered. */
export interface ProviderView extends Omit<SamlProviderFields, 'certificates'> {
  id: string;
  certificate?: string;
  certificates: string[];
  selfUri: string;
}

const OPTIONAL_STRINGS = [
  'ssoTargetURI',
  'sloURI',
  'sloBinding',
  'logoImageData',
  'nameIdentifierFormat',
  'ssoBinding',
  'providerName',
  'metadataURL',
] as const;
const OPTIONAL_BOOLEANS = ['signAuthnRequests', 'displayOnLogin', 'forceAuthn', 'endpointCompression'] as const;

function invalid(fieldName: string, message: string): ApiError {
  return new ApiError(400, 'invalid.value', `${fieldName}: ${message}`, { details: [{ errorCode: 'invalid.value', fieldName }] });
}

/** Each certificate as PEM; one that does not parse or has expired is 400 naming it. */
export function normalizeCertificates(input: ProviderInput, now: number): string[] {
  const given = [...(input.certificate ? [input.certificate] : []), ...(input.certificates ?? [])];
  if (given.length === 0) throw invalid('certificate', 'at least one signing certificate (PEM or base64 DER) is required');
  const pems = given.map((text, i) => {
    const fieldName = input.certificate && i === 0 ? 'certificate' : `certificates[${input.certificate ? i - 1 : i}]`;
    const certificate = parseCertificate(text);
    if (certificate === null) throw invalid(fieldName, 'is not an X.509 certificate (PEM or base64 DER)');
    if (certificateExpired(certificate, now)) throw invalid(fieldName, `expired on ${new Date(certificate.validTo).toISOString()}`);
    return certificate.toString();
  });
  return [...new Set(pems)];
}

/** The stored fields from a write: the SDK model's fields, checked, certificates as PEM. */
export function providerFields(kind: IdentityProviderKind, input: ProviderInput, now: number): SamlProviderFields {
  const issuerURI = input.issuerURI?.trim() ?? '';
  if (issuerURI === '') throw invalid('issuerURI', "is required: the Issuer of the provider's assertions");
  const fields: SamlProviderFields = {
    name: input.name?.trim() || (kind === 'custom' ? 'Custom SAML' : VENDOR_KINDS[kind]),
    disabled: input.disabled ?? false,
    issuerURI,
    relyingPartyIdentifier: input.relyingPartyIdentifier?.trim() ?? '',
    certificates: normalizeCertificates(input, now),
  };
  for (const name of OPTIONAL_STRINGS) if (input[name] !== undefined) fields[name] = input[name];
  for (const name of OPTIONAL_BOOLEANS) if (input[name] !== undefined) fields[name] = input[name];
  return fields;
}

export function providerView(provider: IdentityProviderRecord): ProviderView {
  const { certificates, ...fields } = provider.fields;
  const path = provider.kind === 'custom' ? provider.id : provider.kind;
  return {
    id: provider.id,
    ...fields,
    ...(certificates[0] === undefined ? {} : { certificate: certificates[0] }),
    certificates,
    selfUri: `/api/v2/identityproviders/${path}`,
  };
}

/** Whether the caller holds a permission (the API asks the caller's roles; the command line holds all). */
export type HoldsPermission = (permission: string) => Promise<boolean>;

export class IdentityProviderAdmin {
  readonly #store: IdentityProviderPort;
  readonly #clock: Clock;

  constructor(store: IdentityProviderPort, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  async list(organizationId: string): Promise<ProviderView[]> {
    return (await this.#store.listIdentityProviders(organizationId)).map(providerView);
  }

  async read(organizationId: string, kind: IdentityProviderKind, id?: string): Promise<ProviderView> {
    return providerView(await this.#existing(organizationId, kind, id));
  }

  /**
   * A vendor path's PUT: creates its provider (`sso:provider:add`) or replaces it
   * (`sso:provider:edit`), whole: a field left out takes its default.
   */
  async put(organizationId: string, kind: VendorKind, input: ProviderInput, holds: HoldsPermission): Promise<ProviderView> {
    const current = await this.#store.findIdentityProvider(organizationId, kind);
    const needed = current === null ? SSO_PERMISSIONS.add : SSO_PERMISSIONS.edit;
    if (!(await holds(needed))) throw errors.missingAnyPermissions([needed]);
    return this.#save({ id: current?.id ?? randomUUID(), organizationId, kind }, input);
  }

  /** `POST /identityproviders`: a new custom provider. */
  async create(organizationId: string, input: ProviderInput): Promise<ProviderView> {
    return this.#save({ id: randomUUID(), organizationId, kind: 'custom' }, input);
  }

  /** `PUT /identityproviders/{providerId}`: replaces a custom provider, whole. */
  async update(organizationId: string, id: string, input: ProviderInput): Promise<ProviderView> {
    await this.#existing(organizationId, 'custom', id);
    return this.#save({ id, organizationId, kind: 'custom' }, input);
  }

  async delete(organizationId: string, kind: IdentityProviderKind, id?: string): Promise<void> {
    if (!(await this.#store.deleteIdentityProvider(organizationId, kind, id))) throw notFound(kind, id);
  }

  async #existing(organizationId: string, kind: IdentityProviderKind, id?: string): Promise<IdentityProviderRecord> {
    const provider = await this.#store.findIdentityProvider(organizationId, kind, id);
    if (provider === null) throw notFound(kind, id);
    return provider;
  }

  async #save(slot: Pick<IdentityProviderRecord, 'id' | 'organizationId' | 'kind'>, input: ProviderInput): Promise<ProviderView> {
    const now = this.#clock.now();
    const provider: IdentityProviderRecord = { ...slot, fields: providerFields(slot.kind, input, now), dateModified: now };
    if (!(await this.#store.saveIdentityProvider(provider))) throw errors.notFound('The organization no longer exists.', slot.organizationId);
    return providerView(provider);
  }
}

function notFound(kind: IdentityProviderKind, id: string | undefined): ApiError {
  return kind === 'custom'
    ? errors.notFound('The identity provider was not found.', id)
    : errors.notFound(`No ${VENDOR_KINDS[kind]} identity provider is configured.`);
}
