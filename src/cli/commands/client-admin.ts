/** What the `tokend clients` commands share: the actor and flag names the admin core reports with, and their messages. */
import { type AdminActor, NO_ACTOR } from '../../core/admin/clients.js';
import type { FieldNames } from '../../core/admin/client-rules.js';
import { CliError } from '../output.js';

export const SECRET_NOTICE = 'Save the client secret now: tokend keeps only its hash and cannot show it again.';

export const CLI_ACTOR: AdminActor = NO_ACTOR;

/** The flags of `clients create` and `clients update`, as the shared client rules name them in their messages. */
export const CLI_FIELD_NAMES: FieldNames = {
  authorizedGrantType: '--grant-type',
  roleDivisions: '--role',
  scope: '--scope',
  registeredRedirectUri: '--redirect-uri',
  accessTokenValiditySeconds: '--access-token-validity',
  preAuthorized: '--pre-authorized',
};

export const noSuchClient = (id: string) => new CliError(`no client with the id ${id} (tokend clients list shows them)`);
