/** String formats the seed schema uses, registered once for TypeBox's validator. */
import { FormatRegistry } from '@sinclair/typebox';
import { isAbsoluteUri } from '../admin/client-rules.js';
import { isEmailAddress } from '../admin/users.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registerFormats(): void {
  if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (v) => UUID.test(v));
  if (!FormatRegistry.Has('email')) FormatRegistry.Set('email', isEmailAddress);
  if (!FormatRegistry.Has('uri')) FormatRegistry.Set('uri', isAbsoluteUri);
}
