/**
 * A seed's identity providers: `organizations[].identityProviders[]`, each a vendor slot
 * (`generic`, `okta`, ...) or a `custom` one (its own id, or one derived from its name),
 * written whole through the admin core (admin/identity-providers.ts) with the API's rules. All
 * are checked before the seed writes anything; a bad certificate names its place in the file.
 */
import { type ProviderInput, providerFields } from '../admin/identity-providers.js';
import type { Clock } from '../clock.js';
import { ApiError } from '../errors.js';
import type { IdentityProviderKind, IdentityProviderPort, IdentityProviderRecord } from '../ports/identity-provider-port.js';
import { organizationSeedId, seedId } from './ids.js';
import type { SeedFile } from './schema.js';
import { SeedError } from './validate.js';

/** The providers of the file as they will be stored; throws SeedError naming the first bad one. */
export function planIdentityProviders(seed: SeedFile, now: number): IdentityProviderRecord[] {
  const planned: IdentityProviderRecord[] = [];
  for (const [o, organization] of seed.organizations.entries()) {
    const organizationId = organizationSeedId(organization);
    for (const [p, provider] of (organization.identityProviders ?? []).entries()) {
      const { kind, id, ...input } = provider;
      const providerId =
        kind === 'custom' ? (id ?? seedId('identity-provider', organizationId, provider.name ?? '')) : seedId('identity-provider', organizationId, kind);
      try {
        const fields = providerFields(kind as IdentityProviderKind, input as ProviderInput, now);
        planned.push({ id: providerId, organizationId, kind: kind as IdentityProviderKind, fields, dateModified: now });
      } catch (error) {
        if (error instanceof ApiError) throw new SeedError(`organizations[${o}].identityProviders[${p}]`, error.message);
        throw error;
      }
    }
  }
  return planned;
}

/** Writes the planned providers (after the organizations exist); a vendor slot keeps the id it has. */
export async function applyIdentityProviders(store: IdentityProviderPort, planned: readonly IdentityProviderRecord[], clock: Clock): Promise<void> {
  for (const provider of planned) {
    const existing = provider.kind === 'custom' ? null : await store.findIdentityProvider(provider.organizationId, provider.kind);
    await store.saveIdentityProvider({ ...provider, id: existing?.id ?? provider.id, dateModified: clock.now() });
  }
}
