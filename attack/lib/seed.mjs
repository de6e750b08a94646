/**
 * The campaign's own seed: one organization with `users` people, `services` client-credentials
 * clients and a password app, every secret and password random for this run (nothing
 * published, nothing reused).
 */
import { randomBytes, randomUUID } from 'node:crypto';

const secret = () => randomBytes(18).toString('base64url');

export const ORGANIZATION = 'Attack';

export function campaignSeed({ users = 1, services: serviceCount = 1 } = {}) {
  const people = Array.from({ length: users }, (_, i) => ({ email: `person-${i}@attack.example`, password: secret() }));
  const services = Array.from({ length: serviceCount }, () => ({ id: randomUUID(), secret: secret() }));
  const service = services[0];
  const passwordApp = { id: randomUUID(), secret: secret() };
  const seed = {
    organizations: [
      {
        name: ORGANIZATION,
        roles: [{ name: 'Employee', permissions: [] }],
        users: people.map((p, i) => ({ name: `Person ${i}`, email: p.email, password: p.password, roles: ['Employee'] })),
        clients: [
          ...services.map(({ id, secret }, i) => ({
            id,
            name: i === 0 ? 'Attack service' : `Attack service ${i}`,
            secret,
            authorizedGrantType: 'CLIENT-CREDENTIALS',
            roles: ['Employee'],
          })),
          { id: passwordApp.id, name: 'Attack password app', secret: passwordApp.secret, authorizedGrantType: 'PASSWORD', scope: [] },
        ],
      },
    ],
  };
  return { seed, people, service, services, passwordApp };
}
