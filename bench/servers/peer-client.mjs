/** The one client of the oidc-provider peer, shared by the peer and the load generator. */
export const PEER_CLIENT = { client_id: 'bench-peer', client_secret: 'bench-peer-secret-0123456789abcdef' };
