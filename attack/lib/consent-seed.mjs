/**
 * The seed of the consent, probing, sign-out and redirect-URI attacks (issue 22): one
 * organization with an admin (the victim: every permission worth stealing), an attacker who is
 * a client admin (a person of the organization, and a service holding `oauth:client:*`), and a
 * first-party CODE app; every secret and password random for this run.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ORGANIZATION } from './seed.mjs';

const secret = () => randomBytes(18).toString('base64url');

export function consentSeed() {
  const victim = { email: 'admin@attack.example', password: secret() };
  const attacker = { email: 'mallory@attack.example', password: secret() };
  const clientAdmin = { id: randomUUID(), secret: secret() };
  const app = { id: randomUUID(), secret: secret(), redirectUri: 'https://app.attack.example/callback', signedOutUri: 'https://app.attack.example/bye' };
  const seed = {
    organizations: [
      {
        name: ORGANIZATION,
        roles: [
          { name: 'Org admin', permissions: ['directory:organization:admin', 'oauth:token:delete', 'oauth:client:view'] },
          { name: 'Client admin', permissions: ['oauth:client:view', 'oauth:client:add', 'oauth:client:edit'] },
          { name: 'Employee', permissions: [] },
        ],
        users: [
          { name: 'Ada Admin', email: victim.email, password: victim.password, roles: ['Org admin'] },
          { name: 'Mallory', email: attacker.email, password: attacker.password, roles: ['Employee'] },
        ],
        clients: [
          { id: clientAdmin.id, name: 'Client admin service', secret: clientAdmin.secret, authorizedGrantType: 'CLIENT-CREDENTIALS', roles: ['Client admin'] },
          {
            id: app.id,
            name: 'Attack portal',
            secret: app.secret,
            authorizedGrantType: 'CODE',
            scope: ['authorization'],
            registeredRedirectUri: [app.redirectUri, app.signedOutUri],
          },
        ],
      },
    ],
  };
  return { seed, victim, attacker, clientAdmin, app };
}
