/** How a seed plans one OAuth client: its fields, its secret, and whether an admin's delete holds. */
import { clientFields } from '../admin/client-rules.js';
import { ACCESS_TOKEN_VALIDITY, type Client } from '../models.js';
import { verifySecret } from '../secrets.js';
import type { AdminPort } from '../ports/admin-port.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import { clientSeedId } from './ids.js';
import { collect, memoryOf, type Planning, sameContent } from './planning.js';
import type { ClientSeed } from './schema.js';
import { canonical } from './seed-memory.js';

/** Client fields a seed file could not name before (seed-memory.ts, addedLater). */
const ADDED_LATER = ['description', 'preAuthorized'];

/**
 * The fields of a client that a seed names and remembers (seed-memory.ts), with the defaults
 * every door applies (client-rules.ts, clientFields); the secret is remembered apart, as a hash.
 */
function seededClientFields(seed: ClientSeed, roleIds: string[]) {
  const fields = clientFields({
    name: seed.name,
    authorizedGrantType: seed.authorizedGrantType,
    ...(seed.scope === undefined ? {} : { scope: seed.scope }),
    ...(seed.registeredRedirectUri === undefined ? {} : { registeredRedirectUri: seed.registeredRedirectUri }),
    ...(seed.accessTokenValiditySeconds === undefined ? {} : { accessTokenValiditySeconds: seed.accessTokenValiditySeconds }),
  });
  return {
    name: fields.name,
    authorizedGrantType: fields.authorizedGrantType,
    scope: fields.scope,
    registeredRedirectUri: fields.registeredRedirectUri,
    roles: roleIds.sort(),
    accessTokenValiditySeconds: fields.accessTokenValiditySeconds,
    state: seed.state,
    description: seed.description,
    preAuthorized: seed.preAuthorized,
  };
}

/**
 * A client an admin deleted (store.ts, deleteClient) comes back only where the file changed it
 * since it last applied it, as any other admin change holds until then; it then comes back as
 * a new client. Null: it stays deleted.
 */
export async function planClient(
  planning: Planning,
  organization: { id: string; homeDivisionId: string },
  seed: ClientSeed,
  roleIds: string[],
): Promise<Client | null> {
  const id = clientSeedId(organization.id, seed);
  const fields = seededClientFields(seed, roleIds);
  const existing = await planning.store.findClient(id);
  if (!existing && (await planning.store.isClientDeleted(id)) && !(await changedSinceApplied(planning.store, id, fields, seed.secret))) return null;
  const memory = (await memoryOf(planning, 'client', id, existing !== null)).addedLater(ADDED_LATER);
  const roles = memory.value(
    'roles',
    fields.roles,
    existing?.roleDivisions.map((rd) => rd.roleId),
    [],
  );
  const client: Client = {
    id,
    organizationId: organization.id,
    name: memory.value('name', fields.name, existing?.name, fields.name),
    secretHash: await memory.secret('secret', seed.secret, existing?.secretHash),
    authorizedGrantType: memory.value('authorizedGrantType', fields.authorizedGrantType, existing?.authorizedGrantType, fields.authorizedGrantType),
    scope: memory.value('scope', fields.scope, existing?.scope, []),
    registeredRedirectUri: memory.value('registeredRedirectUri', fields.registeredRedirectUri, existing?.registeredRedirectUri, []),
    roleDivisions: roles.map((roleId) => ({ roleId, divisionId: organization.homeDivisionId })),
    accessTokenValiditySeconds: memory.value(
      'accessTokenValiditySeconds',
      fields.accessTokenValiditySeconds,
      existing?.accessTokenValiditySeconds,
      ACCESS_TOKEN_VALIDITY.default,
    ),
    state: memory.value('state', fields.state, existing?.state, 'active'),
    dateCreated: existing?.dateCreated ?? planning.now,
    dateModified: planning.now,
    createdBy: existing?.createdBy ?? null,
    modifiedBy: existing?.modifiedBy ?? null,
    dateToDelete: existing?.dateToDelete ?? null,
  };
  // Last, and only where set, as the store reads them back (sameContent compares the two).
  const description = memory.value<string | null>('description', fields.description, existing ? (existing.description ?? null) : undefined, null);
  if (description !== null) client.description = description;
  if (memory.value('preAuthorized', fields.preAuthorized, existing ? existing.preAuthorized === true : undefined, false)) client.preAuthorized = true;
  collect(planning, 'client', id, memory);
  if (existing?.state === 'active' && client.state !== 'active') planning.disables.clients.push(id);
  return existing && sameContent(existing, client) ? { ...client, dateModified: existing.dateModified } : client;
}

/** Whether the file names any field of the client otherwise than it did when it last applied it. */
async function changedSinceApplied(
  store: AdminPort & DirectoryPort,
  id: string,
  fields: ReturnType<typeof seededClientFields>,
  secret: string | undefined,
): Promise<boolean> {
  const remembered = await store.findSeedApplied('client', id);
  for (const [field, value] of Object.entries(fields)) {
    const applied = remembered.has(field) || !ADDED_LATER.includes(field) ? remembered.get(field) : null;
    if (applied !== (value === undefined ? null : canonical(value))) return true;
  }
  const secretHash = remembered.get('secret');
  if (secretHash === undefined) return true;
  if (secret === undefined || secretHash === null) return secret !== undefined || secretHash !== null;
  return !(await verifySecret(secret, secretHash));
}
