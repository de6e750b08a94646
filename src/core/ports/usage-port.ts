/**
 * OAuth client usage (core/client-usage.ts): what each node counted in memory, added to the
 * store at most once a minute, read by the usage queries. Implemented by `src/store`.
 */

/** A client's requests of one UTC day, person, method and route template, by status class. */
export interface ClientUsageRow {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  organizationId: string;
  clientId: string;
  /** The person behind the token; '' for a client-credentials token. */
  userId: string;
  httpMethod: string;
  /** The operation's path as the SDK reference spells it (`/api/v2/tokens/me`). */
  templateUri: string;
  status200: number;
  status300: number;
  status400: number;
  status429: number;
  status500: number;
}

export interface UsagePort {
  /**
   * Adds each row's counts to the stored row of its client, day, person, method and template
   * (made at zero when there is none), in one transaction. Each addition is one atomic upsert:
   * nodes adding to one row at once never lose each other's counts.
   */
  addClientUsage(rows: readonly ClientUsageRow[]): Promise<void>;
  /** The client's rows of the days from `fromDay` to `toDay`, both included, in no order. */
  findClientUsage(clientId: string, fromDay: string, toDay: string): Promise<ClientUsageRow[]>;
  /** Deletes the rows of the days before `day` (of every client); returns how many. */
  deleteClientUsageBefore(day: string): Promise<number>;
}
