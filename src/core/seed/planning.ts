/**
 * What planning one seed application shares between its entities: the fields it remembers, the
 * disables it makes, the admin changes it keeps (apply.ts), and how each entity's memory is read.
 */
import type { AdminPort } from '../ports/admin-port.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import type { AppliedField, SeedEntityKind } from './plan.js';
import { FieldMemory } from './seed-memory.js';

/** What one application collects while planning: remembered fields, disables, kept fields. */
export interface Planning {
  readonly store: AdminPort & DirectoryPort;
  readonly now: number;
  readonly applied: AppliedField[];
  readonly disables: { users: string[]; clients: string[] };
  readonly kept: string[];
}

/** The memory of one entity's fields: null for an entity the store does not have (all new). */
export async function memoryOf(planning: Planning, kind: SeedEntityKind, id: string, exists: boolean): Promise<FieldMemory> {
  return new FieldMemory(kind, id, exists ? await planning.store.findSeedApplied(kind, id) : null);
}

/** Adds what one entity's planning decided to the application's totals. */
export function collect(planning: Planning, kind: string, id: string, memory: FieldMemory): void {
  planning.applied.push(...memory.applied);
  planning.kept.push(...memory.kept.map((field) => `${kind} ${id} ${field}`));
}

/** Whether two versions of an entity differ in anything but `dateModified`. */
export function sameContent<T extends { dateModified: number }>(a: T, b: T): boolean {
  return JSON.stringify({ ...a, dateModified: 0 }) === JSON.stringify({ ...b, dateModified: 0 });
}
