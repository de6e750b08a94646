/**
 * The built command line as a person runs it: `node dist/src/cli/main.js ...` in a subprocess,
 * with a HOME of its own and only the environment the test gives (none of the caller's
 * GENESYSCLOUD_* or TOKEND_* variables leak in).
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { after, before } from 'node:test';
import type { Readable, Writable } from 'node:stream';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawRows } from '../helpers/raw-sql.js';
import type { AuditEntry } from '../../src/core/audit.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

export const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface Run {
  code: number | null;
  stdout: string;
  /** stderr without its audit lines, which are in `audit`. */
  stderr: string;
  /** The audit line a command that changes the store writes on stderr (core/audit.ts), parsed. */
  audit: AuditEntry[];
}

/** An audit line on stderr: pino's shape, `msg` "audit", one entry. */
const AUDIT_LINE = /^\{"level":30,"time":\d+,"pid":\d+,"hostname":"[^"]*","msg":"audit","audit":(\{.*\})\}$/;

/** Splits stderr into what a person reads and the audit lines a log collector would take. */
function splitAudit(stderr: string): { stderr: string; audit: AuditEntry[] } {
  const audit: AuditEntry[] = [];
  const kept = stderr.split('\n').filter((line) => {
    const entry = AUDIT_LINE.exec(line)?.[1];
    if (entry !== undefined) audit.push(JSON.parse(entry) as AuditEntry);
    return entry === undefined;
  });
  return { stderr: kept.join('\n'), audit };
}

export interface RunOptions {
  env?: Record<string, string>;
  /** Written to the command's stdin, which is then closed. */
  input?: string;
}

/** A HOME for one test file, and a runner bound to it. */
export function cliHome(): { home: string; run: (args: string[], options?: RunOptions) => Promise<Run>; dispose(): void } {
  const home = mkdtempSync(join(tmpdir(), 'tokend-cli-home-'));
  return {
    home,
    run: (args, options = {}) => runCli(args, { ...options, env: { HOME: home, ...options.env } }),
    dispose: () => rmSync(home, { recursive: true, force: true }),
  };
}

export function runCli(args: string[], options: RunOptions = {}): Promise<Run> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end(options.input ?? '');
  return outputOf(child);
}

/** What a child process printed, and its exit code, once it has ended. */
export function outputOf(child: ChildProcessByStdio<Writable | null, Readable, Readable>): Promise<Run> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const split = splitAudit(stderr);
      const run = { code, stdout, stderr: split.stderr } as Run;
      // Not enumerable: a test comparing a whole run compares what a person reads; the audit
      // tests (audit.test.ts) read `run.audit` itself.
      Object.defineProperty(run, 'audit', { value: split.audit, enumerable: false });
      resolve(run);
    });
  });
}

export type ListeningTokend = TestApp & { url: string };

/** A seeded tokend listening on 127.0.0.1, and its base URL. */
export async function listeningTokend(overrides: Parameters<typeof startTestApp>[0] = {}): Promise<ListeningTokend> {
  const t = await startTestApp(overrides);
  const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  return Object.assign(t, { url });
}

/**
 * A listening tokend for the tests of this file, handed to `started` before them, and a HOME
 * for the command line (returned); both closed and removed after them.
 */
export function useListeningTokend(started: (t: ListeningTokend) => void, overrides: Parameters<typeof startTestApp>[0] = {}): ReturnType<typeof cliHome> {
  const cli = cliHome();
  let t: ListeningTokend | undefined;
  before(async () => {
    t = await listeningTokend(overrides);
    started(t);
  });
  after(async () => {
    await t?.close();
    cli.dispose();
  });
  return cli;
}

/** A port on 127.0.0.1 that nothing listens on (taken, then let go). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** How many tokens the store holds for a client: one per /oauth/token request that succeeded. */
export async function issuedTokens(database: string, clientId: string): Promise<number> {
  const rows = await rawRows<{ n: number | string }>(database, 'SELECT count(*) AS n FROM tokens WHERE client_id = ?', [clientId]);
  return Number(rows[0]?.n ?? 0);
}

/** The single JSON value a command printed. */
export function json<T = Record<string, unknown>>(run: Run): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    // Say what the command said instead, so a failure in CI can be read from its log.
    throw new Error(`the CLI printed no JSON (exit ${String(run.code)}); stderr: ${run.stderr}`);
  }
}
