/** The ids and secrets of test/fixtures/groups-seed.json (the groups API and the password policy), named for tests. */
import { fileURLToPath } from 'node:url';

export const GROUPS_SEED = fileURLToPath(new URL('../../../test/fixtures/groups-seed.json', import.meta.url));

export const VANDELAY = '77777777-7777-4777-8777-777777777777';
export const KRAMERICA = '88888888-8888-4888-8888-888888888888';

/** Named by Vandelay's idle timeout: a bundle of 600 s (the organization's own timeout is 3600 s). */
export const NIGHT_SHIFT = '77777777-0000-4000-8000-00000000b001';
export const KRAMERICA_CREW = '88888888-0000-4000-8000-00000000b001';

const person = (n: string, name: string, email: string, password: string) => ({ id: `77777777-0000-4000-8000-00000000c00${n}`, name, email, password });

export const people = {
  /** Role "Group admin": directory:group:*, directory:organization:admin. */
  gwen: person('1', 'Gwen Groups', 'gwen@vandelay.test', 'gwen-password'),
  /** In Night shift; no permission. */
  mary: person('2', 'Mary Member', 'mary@vandelay.test', 'mary-password'),
  nick: person('3', 'Nick Nobody', 'nick@vandelay.test', 'nick-password'),
  oscar: person('4', 'Oscar Owner', 'oscar@vandelay.test', 'oscar-password'),
  adam: person('5', 'adam Able', 'adam@vandelay.test', 'adam-password'),
  zoe: person('6', 'Zoe Zed', 'zoe@vandelay.test', 'zoe-password'),
};
export const kenny = { id: '88888888-0000-4000-8000-00000000c001', email: 'kenny@kramerica.test', password: 'kenny-password' };

export const groupClients = {
  /** CLIENT-CREDENTIALS, "Group admin". */
  admin: { id: '77777777-0000-4000-8000-00000000d001', secret: 'group-admin-service-secret' },
  /** CLIENT-CREDENTIALS, no permission. */
  bare: { id: '77777777-0000-4000-8000-00000000d002', secret: 'bare-service-secret' },
  /** PASSWORD, scopes groups and organization. */
  app: { id: '77777777-0000-4000-8000-00000000d003', secret: 'groups-app-secret' },
  /** PASSWORD, scopes groups:readonly and organization:readonly. */
  readonlyApp: { id: '77777777-0000-4000-8000-00000000d004', secret: 'readonly-groups-app-secret' },
  /** CLIENT-CREDENTIALS, directory:group:add only. */
  adder: { id: '77777777-0000-4000-8000-00000000d005', secret: 'adder-service-secret' },
  /** Kramerica's CLIENT-CREDENTIALS "Group admin". */
  kramerica: { id: '88888888-0000-4000-8000-00000000d001', secret: 'kramerica-admin-secret' },
};
