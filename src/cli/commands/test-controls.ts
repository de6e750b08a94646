/**
 * `tokend test ...`: a running tokend's test clock and faults, over HTTP through the SDK's
 * `TestControls` (CONTRACT.md, "A clock and faults for tests"). The server must have started
 * with `TOKEND_TEST_CONTROLS=1`; otherwise every call is 404.
 */
import { type FaultSpec, TestControls } from '../../sdk/index.js';
import type { Command, Group, OptionSection, Parsed } from '../args.js';
import { stringValue, UsageError } from '../args.js';
import { CliError, printJson } from '../output.js';
import { checkBaseUrl } from '../url-hints.js';

const CONNECTION: OptionSection = {
  title: 'Connection',
  options: {
    url: { type: 'string', value: 'URL', description: 'the tokend base URL, e.g. http://localhost:8080 (else TOKEND_URL)' },
  },
};

const TOKEN_VARIABLE = 'TOKEND_TEST_CONTROLS_TOKEN';

/** The controls of the server named by --url or TOKEND_URL; the token, when the server has one, comes from the environment only. */
function controlsFor(parsed: Parsed, env: NodeJS.ProcessEnv): TestControls {
  const flag = stringValue(parsed.values, 'url');
  const url = flag ?? env.TOKEND_URL;
  if (url === undefined || url === '') throw new CliError('no server given: pass --url or set TOKEND_URL');
  checkBaseUrl(url, flag === undefined ? 'TOKEND_URL' : '--url');
  const token = env[TOKEN_VARIABLE];
  return new TestControls({ baseUrl: url, ...(token ? { token } : {}) });
}

function numberOption(parsed: Parsed, name: string, min: number, max: number, whole = true): number | undefined {
  const raw = stringValue(parsed.values, name);
  if (raw === undefined) return undefined;
  const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isNaN(value) || value < min || value > max || (whole && !Number.isInteger(value))) {
    throw new UsageError(`--${name}=${raw} is not valid: expected ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}`);
  }
  return value;
}

const clockCommand: Command = {
  kind: 'command',
  name: 'clock',
  summary: "Show the server's clock, move it forward (advance <seconds>), or return it to real time (reset).",
  args: ['[advance | reset]', '[seconds]'],
  minArgs: 0,
  details: `Moves the clock of every node of the server's database. With ${TOKEN_VARIABLE} set on the server, set it here too.`,
  example: 'tokend test clock advance 301 --url http://localhost:8080',
  sections: [CONNECTION],
  async run(parsed, io) {
    const [action, seconds] = parsed.positionals;
    const controls = controlsFor(parsed, io.env);
    if (action === undefined) printJson(io, await controls.clock());
    else if (action === 'reset' && seconds === undefined) printJson(io, await controls.reset());
    else if (action === 'advance' && seconds !== undefined) {
      const value = /^\d+(\.\d+)?$/.test(seconds) ? Number(seconds) : Number.NaN;
      if (!(value > 0)) throw new UsageError(`advance ${seconds}: expected a number of seconds above 0`);
      printJson(io, await controls.advance(value));
    } else throw new UsageError("expected nothing, 'advance <seconds>' or 'reset'");
    return 0;
  },
};

const addCommand: Command = {
  kind: 'command',
  name: 'add',
  summary: 'Set a fault: the next matching requests get an error, or a delay before the real answer.',
  example: 'tokend test fault add --path /api/v2/tokens/me --status 429 --retry-after 2 --times 2 --url http://localhost:8080',
  options: {
    method: { type: 'string', value: 'METHOD', description: 'match this method only (GET, POST, ...)' },
    path: { type: 'string', value: 'PATH', description: 'match this route template or path, e.g. /api/v2/tokens/me or /oauth/token' },
    'client-id': { type: 'string', value: 'ID', description: 'match requests of this authenticated client only' },
    status: { type: 'string', value: 'STATUS', description: 'answer 429, 500, 502, 503 or 504' },
    'retry-after': { type: 'string', value: 'SECONDS', description: 'the Retry-After header (429: default 1)' },
    'delay-ms': { type: 'string', value: 'MS', description: 'wait this long first (0 to 25000); alone, the real answer follows' },
    times: { type: 'string', value: 'N', description: 'how many matching requests it answers (default 1)' },
    probability: { type: 'string', value: 'P', description: 'the chance, 0 to 1, that a matching request gets it (default 1)' },
  },
  sections: [CONNECTION],
  async run(parsed, io) {
    const method = stringValue(parsed.values, 'method');
    const path = stringValue(parsed.values, 'path');
    const clientId = stringValue(parsed.values, 'client-id');
    const status = numberOption(parsed, 'status', 100, 599);
    const retryAfterSeconds = numberOption(parsed, 'retry-after', 0, 86_400);
    const delayMs = numberOption(parsed, 'delay-ms', 0, 25_000);
    const times = numberOption(parsed, 'times', 1, 1_000_000);
    const probability = numberOption(parsed, 'probability', 0, 1, false);
    if (status === undefined && delayMs === undefined) throw new UsageError('give --status, --delay-ms, or both');
    const spec: FaultSpec = {
      match: { ...(method ? { method } : {}), ...(path ? { path } : {}), ...(clientId ? { clientId } : {}) },
      respond: {
        ...(status !== undefined ? { status: status as 429 } : {}),
        ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
        ...(delayMs !== undefined ? { delayMs } : {}),
      },
      ...(times !== undefined ? { times } : {}),
      ...(probability !== undefined ? { probability } : {}),
    };
    printJson(io, await controlsFor(parsed, io.env).fault(spec));
    return 0;
  },
};

const faultGroup: Group = {
  kind: 'group',
  name: 'fault',
  summary: 'Faults the server answers with: add, list, clear.',
  example: 'tokend test fault list --url http://localhost:8080',
  children: [
    addCommand,
    {
      kind: 'command',
      name: 'list',
      summary: 'The faults still set.',
      example: 'tokend test fault list --url http://localhost:8080',
      sections: [CONNECTION],
      async run(parsed, io) {
        printJson(io, await controlsFor(parsed, io.env).faults());
        return 0;
      },
    },
    {
      kind: 'command',
      name: 'clear',
      summary: 'Remove one fault by id, or every fault.',
      args: ['[faultId]'],
      minArgs: 0,
      example: 'tokend test fault clear --url http://localhost:8080',
      sections: [CONNECTION],
      async run(parsed, io) {
        await controlsFor(parsed, io.env).clearFaults(parsed.positionals[0]);
        return 0;
      },
    },
  ],
};

export const testGroup: Group = {
  kind: 'group',
  name: 'test',
  summary: "A test server's clock and faults (the server runs with TOKEND_TEST_CONTROLS=1).",
  example: 'tokend test clock advance 301 --url http://localhost:8080',
  children: [clockCommand, faultGroup],
};
