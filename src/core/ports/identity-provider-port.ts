/**
 * The organization's SAML identity providers (the SDK's `IdentityProviderApi`) and the SAML2
 * bearer grant's memory of redeemed assertions. Implemented by `src/store`.
 *
 * Concurrency rules:
 * - {@link IdentityProviderPort.saveIdentityProvider} is one statement: of two writers of one
 *   slot, the last one's provider stands, whole.
 * - {@link IdentityProviderPort.redeemAssertion} is atomic: of N callers redeeming one assertion,
 *   on any number of nodes, exactly one is told true while the assertion is remembered.
 */

/** Where a provider lives: a vendor path's one provider (`generic`, `okta`, ...) or one of the `custom` ones by id. */
export type IdentityProviderKind = 'generic' | 'okta' | 'adfs' | 'ping' | 'gsuite' | 'onelogin' | 'salesforce' | 'custom';

/** The SAML fields every provider model of the SDK shares (`GenericSAML`, `CustomProvider`, `Okta`, ...), as given. */
export interface SamlProviderFields {
  name: string;
  disabled: boolean;
  issuerURI: string;
  relyingPartyIdentifier: string;
  /** Each a PEM certificate, as normalized on write (admin/identity-providers.ts). */
  certificates: string[];
  ssoTargetURI?: string;
  sloURI?: string;
  sloBinding?: string;
  logoImageData?: string;
  nameIdentifierFormat?: string;
  ssoBinding?: string;
  signAuthnRequests?: boolean;
  providerName?: string;
  displayOnLogin?: boolean;
  /** Kept and answered back; tokend never fetches it. */
  metadataURL?: string;
  forceAuthn?: boolean;
  endpointCompression?: boolean;
}

export interface IdentityProviderRecord {
  id: string;
  organizationId: string;
  kind: IdentityProviderKind;
  fields: SamlProviderFields;
  /** Epoch milliseconds of the last write. */
  dateModified: number;
}

export interface IdentityProviderPort {
  /** Every provider of the organization, vendor ones first (by kind), then custom ones by name. */
  listIdentityProviders(organizationId: string): Promise<IdentityProviderRecord[]>;
  /** A vendor path's provider (`kind` other than `custom`), or a custom one by `id`. */
  findIdentityProvider(organizationId: string, kind: IdentityProviderKind, id?: string): Promise<IdentityProviderRecord | null>;
  /** Writes the provider whole (inserted, or replacing the one of its slot); false when the organization is gone. */
  saveIdentityProvider(provider: IdentityProviderRecord): Promise<boolean>;
  /** Deletes the provider of that slot; false when there was none. */
  deleteIdentityProvider(organizationId: string, kind: IdentityProviderKind, id?: string): Promise<boolean>;
  /**
   * Remembers that the assertion `assertionId` of `issuer` was redeemed, until `expiresAt`
   * (epoch ms). True for the first redemption; false while an earlier one is still remembered
   * (one that expired by `now` is forgotten and redeemed anew).
   */
  redeemAssertion(issuer: string, assertionId: string, expiresAt: number, now: number): Promise<boolean>;
  /** Forgets redeemed assertions that expired before `before`; how many. */
  forgetExpiredAssertions(before: number): Promise<number>;
}
