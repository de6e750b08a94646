/**
 * The identity providers API (`IdentityProviderApi`): the listing, the vendor paths (`generic`,
 * `okta`, `adfs`, `ping`, `gsuite`, `onelogin`, `salesforce`: one provider each) and the custom
 * providers by id. What each requires is the table of operations'; each route is one action of
 * the admin core (core/admin/identity-providers.ts), which checks the certificates.
 */
import { type TObject, Type } from '@sinclair/typebox';
import { type ProviderInput, VENDOR_KINDS, type VendorKind } from '../../core/admin/identity-providers.js';
import { OPERATIONS } from '../../core/operations/table.js';
import type { DefineOperation } from '../api-operation.js';
import { principalOf } from '../bearer.js';
import { requireBody } from '../request-body.js';
import { apiErrorResponses } from '../schemas.js';
import type { RouteServices } from './deps.js';

const text = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
const flag = Type.Optional(Type.Boolean());
const MAX_CERTIFICATE = 16_384;

/** The fields every provider model of the SDK shares (`GenericSAML`, `CustomProvider`, `Okta`, ...). */
const providerFields = {
  id: text(200),
  name: text(200),
  disabled: flag,
  issuerURI: text(2048),
  ssoTargetURI: text(2048),
  sloURI: text(2048),
  sloBinding: text(200),
  relyingPartyIdentifier: text(2048),
  certificate: text(MAX_CERTIFICATE),
  certificates: Type.Optional(Type.Array(Type.String({ maxLength: MAX_CERTIFICATE }), { maxItems: 10 })),
  logoImageData: text(65_536),
  nameIdentifierFormat: text(200),
  ssoBinding: text(200),
  signAuthnRequests: flag,
  providerName: text(200),
  displayOnLogin: flag,
  metadataURL: text(2048),
  forceAuthn: flag,
  endpointCompression: flag,
  selfUri: text(2048),
};

const modelSchema = (title: string): TObject => Type.Object(providerFields, { additionalProperties: false, title });
const ProviderSchema = modelSchema('CustomProvider');
const ListingSchema = Type.Object(
  {
    entities: Type.Array(ProviderSchema),
    pageSize: Type.Integer(),
    pageNumber: Type.Integer(),
    total: Type.Integer(),
    pageCount: Type.Integer(),
    firstUri: Type.String(),
    lastUri: Type.String(),
    selfUri: Type.String(),
  },
  { title: 'IdentityProviderEntityListing' },
);
const ProviderIdParams = Type.Object({ providerId: Type.String({ minLength: 1, maxLength: 200 }) });

/** The SDK's model name of each vendor path. */
const VENDOR_MODELS: Record<VendorKind, { model: string; ids: Capitalize<string> }> = {
  generic: { model: 'GenericSAML', ids: 'Generic' },
  okta: { model: 'Okta', ids: 'Okta' },
  adfs: { model: 'ADFS', ids: 'Adfs' },
  ping: { model: 'PingIdentity', ids: 'Ping' },
  gsuite: { model: 'GSuite', ids: 'Gsuite' },
  onelogin: { model: 'OneLogin', ids: 'Onelogin' },
  salesforce: { model: 'Salesforce', ids: 'Salesforce' },
};

const WRITE_RULES =
  'A write replaces the provider whole. issuerURI and at least one certificate (certificate or certificates; PEM or bare base64 DER) are required; one that does not parse or has expired is 400. metadataURL is kept, never fetched.';

export function identityProvidersRoutes(
  operation: DefineOperation,
  { identityProviders, permissions }: Pick<RouteServices, 'identityProviders' | 'permissions'>,
): void {
  operation(OPERATIONS.getIdentityproviders, {
    description: 'Every provider of the organization in one page: the vendor paths first, then custom providers by name.',
    schema: { response: { 200: ListingSchema, ...apiErrorResponses(403) } },
    act: async (request) => {
      const entities = await identityProviders.list(principalOf(request).organization.id);
      const uri = `/api/v2/identityproviders?pageSize=${entities.length}&pageNumber=1`;
      return { entities, pageSize: entities.length, pageNumber: 1, total: entities.length, pageCount: 1, firstUri: uri, lastUri: uri, selfUri: uri };
    },
  });

  operation<{ Body: ProviderInput | undefined }>(OPERATIONS.postIdentityproviders, {
    description: WRITE_RULES,
    schema: { body: ProviderSchema, response: { 200: ProviderSchema, ...apiErrorResponses(403, 413, 415) } },
    act: (request) => identityProviders.create(principalOf(request).organization.id, requireBody(request.body, request.headers, 'CustomProvider')),
  });
  operation<{ Params: { providerId: string } }>(OPERATIONS.getIdentityprovider, {
    description: 'A custom provider (created by postIdentityproviders); a vendor path answers its own.',
    schema: { params: ProviderIdParams, response: { 200: ProviderSchema, ...apiErrorResponses(403, 404) } },
    act: (request) => identityProviders.read(principalOf(request).organization.id, 'custom', request.params.providerId),
  });
  operation<{ Params: { providerId: string }; Body: ProviderInput | undefined }>(OPERATIONS.putIdentityprovider, {
    description: WRITE_RULES,
    schema: { params: ProviderIdParams, body: ProviderSchema, response: { 200: ProviderSchema, ...apiErrorResponses(403, 404, 413, 415) } },
    prepare: async (request) => {
      // An unknown provider is 404 before its body is judged.
      await identityProviders.read(principalOf(request).organization.id, 'custom', request.params.providerId);
    },
    act: (request) =>
      identityProviders.update(principalOf(request).organization.id, request.params.providerId, requireBody(request.body, request.headers, 'CustomProvider')),
  });
  operation<{ Params: { providerId: string } }>(OPERATIONS.deleteIdentityprovider, {
    schema: { params: ProviderIdParams, response: { 200: Type.Null(), ...apiErrorResponses(403, 404) } },
    act: async (request, reply) => {
      await identityProviders.delete(principalOf(request).organization.id, 'custom', request.params.providerId);
      return reply.code(200).send();
    },
  });

  for (const kind of Object.keys(VENDOR_KINDS) as VendorKind[]) {
    const { model, ids } = VENDOR_MODELS[kind];
    const schema = modelSchema(model);
    operation(OPERATIONS[`getIdentityproviders${ids}` as keyof typeof OPERATIONS], {
      schema: { response: { 200: schema, ...apiErrorResponses(403, 404) } },
      act: (request) => identityProviders.read(principalOf(request).organization.id, kind),
    });
    operation<{ Body: ProviderInput | undefined }>(OPERATIONS[`putIdentityproviders${ids}` as keyof typeof OPERATIONS], {
      description: `${WRITE_RULES} Creating the provider needs sso:provider:add, replacing it sso:provider:edit.`,
      schema: { body: schema, response: { 200: schema, ...apiErrorResponses(403, 413, 415) } },
      act: (request) => {
        const principal = principalOf(request);
        const holds = (permission: string) => permissions.grants(principal, { any: [permission] });
        return identityProviders.put(principal.organization.id, kind, requireBody(request.body, request.headers, model), holds);
      },
    });
    operation(OPERATIONS[`deleteIdentityproviders${ids}` as keyof typeof OPERATIONS], {
      schema: { response: { 200: Type.Null(), ...apiErrorResponses(403, 404) } },
      act: async (request, reply) => {
        await identityProviders.delete(principalOf(request).organization.id, kind);
        return reply.code(200).send();
      },
    });
  }
}
