/**
 * The peer: panva's oidc-provider with one client-credentials client and token introspection
 * (RFC 7662). Run as its own process: `node peer-oidc.mjs PORT N TOKENS_FILE`.
 *
 * It first issues N access tokens in process (the same model and save() the client-credentials
 * grant uses; N HTTP round trips would take minutes), writes their values to TOKENS_FILE, then
 * listens and prints `ready`. Its storage is a plain in-memory Map: the package's own memory
 * adapter is an LRU of 1,000 entries, which would lose almost every token at N = 10,000. A Map
 * is the fastest storage it could have, so the comparison is generous to the peer.
 */
import { writeFileSync } from 'node:fs';
import Provider from 'oidc-provider';
import { PEER_CLIENT } from './peer-client.mjs';

const [port, count, tokensFile] = process.argv.slice(2);

const storage = new Map();

/** The adapter contract of oidc-provider (lib/adapters/memory_adapter.js), without the LRU. */
class MapAdapter {
  constructor(name) {
    this.name = name;
  }
  key(id) {
    return `${this.name}:${id}`;
  }
  async upsert(id, payload, expiresIn) {
    storage.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
  }
  async find(id) {
    const entry = storage.get(this.key(id));
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      storage.delete(this.key(id));
      return undefined;
    }
    return entry.payload;
  }
  async findByUserCode() {
    return undefined;
  }
  async findByUid() {
    return undefined;
  }
  async consume(id) {
    const entry = storage.get(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id) {
    storage.delete(this.key(id));
  }
  async revokeByGrantId() {}
}

const provider = new Provider(`http://127.0.0.1:${port}`, {
  adapter: MapAdapter,
  clients: [{ ...PEER_CLIENT, grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope: 'api' }],
  scopes: ['api'],
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true, allowedPolicy: async () => true },
    devInteractions: { enabled: false },
  },
  // Long enough to outlive the whole benchmark (the default is 10 minutes).
  ttl: { ClientCredentials: 86_400 },
});
provider.on('server_error', (_ctx, error) => process.stderr.write(`peer server_error: ${error.stack}\n`));

const client = await provider.Client.find(PEER_CLIENT.client_id);
const values = [];
for (let i = 0; i < Number(count); i++) {
  const token = new provider.ClientCredentials({ client, scope: 'api' });
  values.push(await token.save());
}
writeFileSync(tokensFile, values.join('\n'));
provider.listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
