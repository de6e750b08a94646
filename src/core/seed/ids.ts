/**
 * Stable ids for seed entities given without one: a name-based UUID (RFC 9562 §5.5, SHA-1),
 * so that applying the same file twice finds the same rows instead of adding new ones.
 */
import { createHash } from 'node:crypto';

const NAMESPACE = 'tokend-seed-v1';

export function seedId(...parts: string[]): string {
  const hex = createHash('sha1')
    .update([NAMESPACE, ...parts].join('\u0000'))
    .digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** The id of a seed's organization: its own, or one derived from its name. */
export function organizationSeedId(seed: { id?: string | undefined; name: string }): string {
  return seed.id ?? seedId('organization', seed.name);
}

/** The id of a seed's client: its own, or one derived from its organization and name. */
export function clientSeedId(organizationId: string, seed: { id?: string | undefined; name: string }): string {
  return seed.id ?? seedId('client', organizationId, seed.name);
}
