/**
 * Client authentication for `/oauth/token` (RFC 6749 §2.3.1, HTTP Basic).
 *
 * Secrets are stored as scrypt hashes (they may be short, chosen by a person in a seed). To keep
 * issuance fast without weakening that storage, a secret verified once is remembered in memory
 * as its SHA-256, tied to the stored hash it was checked against: later logins compare digests
 * in constant time, and a rotated or changed secret no longer matches. Nothing of it is stored.
 */
import { oauthErrors } from './errors.js';
import type { Directory } from './directory.js';
import type { Client } from './models.js';
import { constantTimeEqual, fastDigest, verifySecret } from './secrets.js';

interface Verified {
  secretHash: string;
  digest: Buffer;
}

// A fixed hash to verify against when the client is unknown, so both failures take the same time.
const DECOY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export class ClientAuthenticator {
  readonly #directory: Directory;
  readonly #verified = new Map<string, Verified>();

  constructor(directory: Directory) {
    this.#directory = directory;
  }

  /** Returns the client whose id and secret these are, or throws `invalid_client` (same answer for both failures). */
  async authenticate(clientId: string, secret: string): Promise<Client> {
    const client = await this.#directory.client(clientId);
    if (!client || client.secretHash === null) {
      await verifySecret(secret, DECOY_HASH);
      throw oauthErrors.invalidClient();
    }
    if (!(await this.#matches(client, secret))) throw oauthErrors.invalidClient();
    return client;
  }

  async #matches(client: Client, secret: string): Promise<boolean> {
    const secretHash = client.secretHash as string;
    const digest = fastDigest(secret);
    const known = this.#verified.get(client.id);
    if (known && known.secretHash === secretHash) return constantTimeEqual(known.digest, digest);
    if (!(await verifySecret(secret, secretHash))) return false;
    this.#verified.set(client.id, { secretHash, digest });
    return true;
  }
}

/** Parses `Authorization: Basic base64(id:secret)`; null when absent or malformed. */
export function parseBasicAuthorization(header: string | undefined): { clientId: string; secret: string } | null {
  if (!header) return null;
  const match = /^basic[ \t]+([A-Za-z0-9+/=_-]+)[ \t]*$/i.exec(header);
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  // RFC 6749 §2.3.1 asks clients to form-urlencode id and secret first; the Genesys SDKs send
  // them raw, so they are taken raw (a secret may contain '%').
  return { clientId: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}
