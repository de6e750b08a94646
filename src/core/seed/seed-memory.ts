/**
 * Applying a seed again re-asserts only what the file changed since it last applied it:
 * `TOKEND_SEED` is applied at every start, and an admin's rotated secret,
 * disabled client or user must hold until the file itself changes that field.
 *
 * The store remembers, per seeded entity and field, the value the seed last applied
 * (migration 5). For each field of an existing entity:
 * - the file's value equals the remembered one: the stored value stays, whatever it is now;
 * - it differs: the file's value is written (a field the file no longer names, such as a state
 *   or a secret left out, is not re-asserted: the stored value stays);
 * - nothing is remembered (a store seeded before migration 5, or an entity made by the command
 *   line that the file now names): the stored value stays and the file's value is remembered,
 *   so an admin's change made before the upgrade holds too.
 * A new entity takes the file's values (a state not named is `active`).
 *
 * Secrets and passwords are remembered as the scrypt hash the seed wrote, and compared with
 * {@link verifySecret}: nothing usable is stored.
 */
import { hashSecret, verifySecret } from '../secrets.js';
import type { AppliedField, SeedEntityKind } from './plan.js';

/** JSON with object keys sorted, so a reordered file is not a change. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The decisions for one entity of one seed application. */
export class FieldMemory {
  readonly #kind: SeedEntityKind;
  readonly #id: string;
  /** Null for a new entity: every field is written. */
  readonly #remembered: Map<string, string | null> | null;
  /** Fields whose applied value is new or changed, to remember. */
  readonly applied: AppliedField[] = [];
  /** Fields where the store differs from the file and is kept (an admin's change, reported). */
  readonly kept: string[] = [];

  constructor(kind: SeedEntityKind, id: string, remembered: Map<string, string | null> | null) {
    this.#kind = kind;
    this.#id = id;
    this.#remembered = remembered;
  }

  /**
   * The value to store for `field`: the file's where the file changed it (or the entity is
   * new), the stored one otherwise. `fromFile` undefined means the file does not name the field;
   * a new entity then takes `fallback`.
   */
  value<T>(field: string, fromFile: T | undefined, stored: T | undefined, fallback: T): T {
    const encoded = fromFile === undefined ? null : canonical(fromFile);
    if (this.#remembered === null || stored === undefined) {
      this.#remember(field, encoded);
      return fromFile ?? fallback;
    }
    const remembered = this.#remembered.get(field);
    if (remembered !== undefined && remembered !== encoded && fromFile !== undefined) {
      this.#remember(field, encoded);
      return fromFile;
    }
    // Unchanged in the file, no longer named by it, or never remembered (adopted as stored).
    this.#remember(field, encoded);
    if (fromFile !== undefined && canonical(stored) !== encoded) this.kept.push(field);
    return stored;
  }

  /**
   * Fields the seed format gained after this memory was written: the file could not name them
   * then, so they count as last applied unnamed (null), and a value the file names now is a
   * change. An entity with nothing remembered at all (made elsewhere, now named by the file)
   * stays adopted as stored.
   */
  addedLater(fields: readonly string[]): this {
    if (this.#remembered === null || this.#remembered.size === 0) return this;
    for (const field of fields) if (!this.#remembered.has(field)) this.#remembered.set(field, null);
    return this;
  }

  /**
   * {@link value} for a secret or password: the hash to store, remembering the hash it wrote.
   * `accept` judges the file's value before it is written (a password policy), and only then: a
   * value the store keeps is not judged again.
   */
  async secret(
    field: string,
    fromFile: string | undefined,
    stored: string | null | undefined,
    accept: (value: string) => Promise<void> = async () => {},
  ): Promise<string | null> {
    const remembered = this.#remembered?.get(field);
    if (this.#remembered === null || stored === undefined) {
      if (fromFile !== undefined) await accept(fromFile);
      const hash = fromFile === undefined ? null : await hashSecret(fromFile);
      this.#remember(field, hash);
      return hash;
    }
    if (fromFile === undefined) {
      if (remembered !== null) this.#remember(field, null);
      return stored;
    }
    if (remembered !== undefined && remembered !== null && (await verifySecret(fromFile, remembered))) {
      // Unchanged in the file: whatever the store holds now (a rotated secret) stays.
      if (stored !== remembered) this.kept.push(field);
      return stored;
    }
    const storedMatches = stored !== null && (await verifySecret(fromFile, stored));
    if (!storedMatches && remembered !== undefined) await accept(fromFile);
    const hash = storedMatches ? stored : await hashSecret(fromFile);
    this.#remember(field, hash);
    if (remembered === undefined) {
      // Nothing remembered: adopt the store as it is, and remember the file's secret from now on.
      if (!storedMatches) this.kept.push(field);
      return stored;
    }
    return hash;
  }

  #remember(field: string, value: string | null): void {
    if (this.#remembered?.get(field) === value) return;
    this.applied.push({ kind: this.#kind, id: this.#id, field, value });
  }
}
