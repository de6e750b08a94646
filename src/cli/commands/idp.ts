/**
 * `tokend idp list|set|delete`: an organization's SAML identity providers, through the admin
 * core (src/core/admin/identity-providers.ts), which checks the certificates; this file reads
 * flags and files and prints. A provider is a vendor slot (`generic`, `okta`, `adfs`, `ping`,
 * `gsuite`, `onelogin`, `salesforce`) or a custom one by id.
 */
import { readFile } from 'node:fs/promises';
import { isVendorKind, type ProviderInput, type ProviderView, VENDOR_KINDS } from '../../core/admin/identity-providers.js';
import type { Organization } from '../../core/models.js';
import { type Command, type Group, listValue, requiredValue, stringValue, UsageError } from '../args.js';
import { DATABASE_SECTION, findOrganization, withCore } from '../admin-store.js';
import { FORMAT_OPTIONS, organizationsById, orgRef, printListing } from '../listing.js';
import { notice, printJson } from '../output.js';

const ORG = { org: { type: 'string', value: 'ID|NAME', description: 'the organization (required)' } } as const;
const SLOTS = `${Object.keys(VENDOR_KINDS).join(', ')}, or a custom provider's id`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A vendor slot, or a custom provider's id. */
function slotOf(reference: string): { kind: 'custom'; id: string } | { kind: keyof typeof VENDOR_KINDS } {
  const lower = reference.toLowerCase();
  if (isVendorKind(lower)) return { kind: lower };
  if (UUID.test(reference)) return { kind: 'custom', id: reference.toLowerCase() };
  throw new UsageError(`unknown provider ${JSON.stringify(reference)}: give ${SLOTS}`);
}

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

const shown = (provider: ProviderView, organization: Organization) => ({ ...provider, organization: { id: organization.id, name: organization.name } });

const list: Command = {
  kind: 'command',
  name: 'list',
  summary: 'List the identity providers of each organization.',
  example: 'tokend idp list --org Demo',
  options: { org: { type: 'string', value: 'ID|NAME', description: 'only this organization' }, ...FORMAT_OPTIONS },
  sections: [DATABASE_SECTION],
  async run({ values }, io) {
    const org = stringValue(values, 'org');
    const { providers, organizations } = await withCore(values, io.env, async (core) => {
      const only = org === undefined ? undefined : await findOrganization(core, org);
      const organizations = await organizationsById(core);
      const ids = only ? [only.id] : [...organizations.keys()];
      const lists = await Promise.all(ids.map(async (id) => (await core.identityProviders.list(id)).map((p) => ({ ...p, organizationId: id }))));
      return { providers: lists.flat(), organizations };
    });
    printListing(io, values, {
      rows: providers,
      columns: [
        { title: 'id', cell: (p) => p.id },
        { title: 'path', cell: (p) => p.selfUri.replace('/api/v2/identityproviders/', '') },
        { title: 'name', cell: (p) => p.name },
        { title: 'organization', cell: (p) => orgRef(organizations, p.organizationId).name },
        { title: 'enabled', cell: (p) => (p.disabled ? 'no' : 'yes') },
        { title: 'issuer', cell: (p) => p.issuerURI },
        { title: 'audience', cell: (p) => p.relyingPartyIdentifier },
      ],
      json: ({ organizationId, ...p }) => ({ ...p, organization: orgRef(organizations, organizationId) }),
    });
    return 0;
  },
};

const set: Command = {
  kind: 'command',
  name: 'set',
  audited: true,
  summary: 'Create or replace a provider, whole (a custom one is created by `custom`).',
  details: `PROVIDER is ${SLOTS}, or custom to create one. --certificate-file is PEM or bare base64 DER; one that does not parse or has expired is refused.`,
  example:
    'openssl req -x509 -newkey rsa:2048 -nodes -keyout /dev/null -subj /CN=idp.demo -days 365 2>/dev/null | tokend idp set okta --org Demo --issuer http://www.okta.com/exk1 --audience urn:tokend:demo --certificate-file -',
  args: ['<PROVIDER>'],
  minArgs: 1,
  options: {
    ...ORG,
    issuer: { type: 'string', value: 'URI', description: "the Issuer of the provider's assertions (required)" },
    audience: { type: 'string', value: 'URI', description: 'the Audience its assertions name: relyingPartyIdentifier (required)' },
    'certificate-file': { type: 'string', multiple: true, value: 'FILE', description: 'a signing certificate (required; repeat for several; - reads stdin)' },
    name: { type: 'string', value: 'NAME', description: 'the display name' },
    disabled: { type: 'boolean', description: 'store it disabled: it verifies nothing' },
  },
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const org = requiredValue(values, 'org');
    const reference = positionals[0] as string;
    const slot = reference.toLowerCase() === 'custom' ? null : slotOf(reference);
    const files = listValue(values, 'certificate-file');
    if (files.length === 0) throw new UsageError('--certificate-file is required');
    const certificates = await Promise.all(files.map((file) => (file === '-' ? readStdin(io.stdin) : readFile(file, 'utf8'))));
    const name = stringValue(values, 'name');
    const input: ProviderInput = {
      issuerURI: requiredValue(values, 'issuer'),
      relyingPartyIdentifier: requiredValue(values, 'audience'),
      certificates,
      disabled: values.disabled === true,
      ...(name === undefined ? {} : { name }),
    };
    const result = await withCore(values, io.env, async (core) => {
      const organization = await findOrganization(core, org);
      const admin = core.identityProviders;
      // The command line acts as the store's owner: it holds every sso:provider permission.
      const provider =
        slot === null
          ? await admin.create(organization.id, input)
          : slot.kind === 'custom'
            ? await admin.update(organization.id, slot.id, input)
            : await admin.put(organization.id, slot.kind, input, async () => true);
      return shown(provider, organization);
    });
    printJson(io, result);
    notice(io, `Saved identity provider ${result.name}: it applies on every node from the next token request.`);
    return 0;
  },
};

const remove: Command = {
  kind: 'command',
  name: 'delete',
  audited: true,
  summary: 'Delete a provider: its assertions are refused from the next token request.',
  example: 'tokend idp delete okta --org Demo',
  args: ['<PROVIDER>'],
  minArgs: 1,
  options: { ...ORG },
  sections: [DATABASE_SECTION],
  async run({ values, positionals }, io) {
    const org = requiredValue(values, 'org');
    const slot = slotOf(positionals[0] as string);
    await withCore(values, io.env, async (core) => {
      const organization = await findOrganization(core, org);
      await core.identityProviders.delete(organization.id, slot.kind, slot.kind === 'custom' ? slot.id : undefined);
    });
    notice(io, `Deleted identity provider ${positionals[0]}.`);
    return 0;
  },
};

export const idpGroup: Group = {
  kind: 'group',
  name: 'idp',
  summary: "Organizations' SAML identity providers in the server store (admin: acts on TOKEND_DATABASE, no API call).",
  example: 'tokend idp list --org Demo',
  children: [list, set, remove],
};
