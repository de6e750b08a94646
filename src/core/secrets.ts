/**
 * The one reviewed path for secrets (STYLE.md, "Secrets").
 *
 * - Bearer and refresh tokens: 256 bits from the CSPRNG, opaque; the store keeps only their
 *   SHA-256, so a stolen database yields no usable token. A fast hash is right here: the
 *   input has 256 bits of entropy, so there is nothing to brute-force.
 * - Passwords and client secrets: scrypt with a per-secret salt, compared in constant time.
 *   They may be short or chosen by a person, so they get a slow hash.
 */
import { hash, randomBytes, scrypt, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto';

const TOKEN_BYTES = 32;
/**
 * Tokens' worth of CSPRNG output read at once: one system call per 128 issuances instead of one
 * each (crypto.randomUUID pools its entropy the same way): a system call per token showed in
 * issuance profiles (docs/performance.md).
 */
const POOL_TOKENS = 128;
let pool = Buffer.alloc(0);
let drawn = 0;

/** A new opaque token (43 base64url characters, 256 bits). */
export function newToken(): string {
  if (drawn >= pool.length) {
    pool = randomBytes(TOKEN_BYTES * POOL_TOKENS);
    drawn = 0;
  }
  const token = pool.toString('base64url', drawn, drawn + TOKEN_BYTES);
  // Each byte serves one token only, and does not linger in memory once it has.
  pool.fill(0, drawn, drawn + TOKEN_BYTES);
  drawn += TOKEN_BYTES;
  return token;
}

/** A new client secret for generated clients: the same entropy as a token. */
export const newClientSecret = newToken;

/** The form in which a token is stored and looked up. */
export function hashToken(token: string): string {
  // One-shot crypto.hash (Node 20.12+): the same digest without a Hash object per call; it runs
  // on every authenticated request.
  return hash('sha256', token, 'base64url');
}

/** A short fast digest, for in-memory comparisons only (never stored). */
export function fastDigest(value: string): Buffer {
  // One-shot, as hashToken: no Hash object per call, once per issuance (docs/performance.md).
  return hash('sha256', value, 'buffer');
}

export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

// OWASP's floor for scrypt: N=2^17 is recommended, 2^15 acceptable; 2^15 keeps a login's hash short
// enough for the queue of slow hashes on small machines (its time: docs/performance.md). Stored in
// the hash string so it can be raised later.
const SCRYPT = { N: 32768, r: 8, p: 1, keyLength: 32, maxmem: 64 * 1024 * 1024 };

function scryptAsync(password: BinaryLike, salt: BinaryLike, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash`, all base64url. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, keyLength, maxmem } = SCRYPT;
  const key = await scryptAsync(secret, salt, keyLength, { N, r, p, maxmem });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Checks a secret against a stored {@link hashSecret} string; false for any malformed hash. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const key = await scryptAsync(secret, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return constantTimeEqual(key, expected);
}
