/**
 * Seed secrets too short to trust (CONTRACT.md, "Sign-in and client-authentication throttling"):
 * the throttles bound online guessing, not offline guessing of a leaked hash, nor a secret a
 * person picked. tokend's own secrets are 256-bit random; a seed's may be anything, so each one
 * under {@link MIN_SECRET_LENGTH} characters is named at start-up (`tokend serve` warns).
 */
import { clientSeedId, organizationSeedId } from './ids.js';
import type { SeedFile } from './schema.js';

/** 32 characters: 192 bits and more of a random base64 secret, far past any guessing. */
export const MIN_SECRET_LENGTH = 32;

export interface ShortSecret {
  clientId: string;
  name: string;
  length: number;
}

/** The seed's clients whose secret is shorter than {@link MIN_SECRET_LENGTH} characters, in file order. */
export function shortSeedSecrets(seed: SeedFile): ShortSecret[] {
  const found: ShortSecret[] = [];
  for (const organization of seed.organizations) {
    const organizationId = organizationSeedId(organization);
    for (const client of organization.clients ?? []) {
      const length = client.secret === undefined ? 0 : [...client.secret].length;
      if (client.secret !== undefined && length < MIN_SECRET_LENGTH) found.push({ clientId: clientSeedId(organizationId, client), name: client.name, length });
    }
  }
  return found;
}
