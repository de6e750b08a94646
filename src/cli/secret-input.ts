/**
 * Secrets typed in: from a flag (visible to `ps` and shell history, so second best), from
 * stdin (`--password-stdin`, for scripts), or asked for at a terminal without echo.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { type Io, stringValue, UsageError, type Values } from './args.js';
import { CliError } from './output.js';

/**
 * A database URL that holds a password (`postgres://user:password@host/db`, or `?password=`):
 * as a flag, a secret on the command line; in TOKEND_DATABASE, readable by its owner alone.
 */
export const DATABASE_URL_SECRET = {
  instead: 'TOKEND_DATABASE',
  when: (value: string): boolean => {
    if (!/^postgres(ql)?:\/\//i.test(value)) return false;
    try {
      const url = new URL(value);
      return url.password !== '' || url.searchParams.has('password');
    } catch {
      return false;
    }
  },
};

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export interface SecretSource {
  /** The flag that carries the secret itself, such as `password`. */
  flag: string;
  /** The flag that reads it from stdin, such as `password-stdin`. */
  stdinFlag: string;
  /** What to call it when asking, such as `Password`. */
  label: string;
}

/** Refuses both ways at once, before the command does anything else. */
export function checkSecretFlags(values: Values, source: SecretSource): void {
  if (stringValue(values, source.flag) !== undefined && values[source.stdinFlag])
    throw new UsageError(`give --${source.flag} or --${source.stdinFlag}, not both`);
}

/** The secret from the flag, stdin or a prompt; a UsageError when there is no way to get one. */
export async function readSecret(values: Values, io: Io, source: SecretSource): Promise<string> {
  checkSecretFlags(values, source);
  const given = stringValue(values, source.flag);
  if (given !== undefined) return nonEmpty(given, source);
  if (values[source.stdinFlag]) return nonEmpty((await readAll(io.stdin)).replace(/\r?\n$/, ''), source);
  if (!io.stdin.isTTY) {
    throw new UsageError(`no ${source.label.toLowerCase()}: pipe it with --${source.stdinFlag}, or run in a terminal to be asked`);
  }
  const [first = '', second = ''] = await ask(io, [`${source.label}: `, `Repeat ${source.label.toLowerCase()}: `]);
  if (first !== second) throw new CliError(`the two ${source.label.toLowerCase()}s differ; nothing was changed`);
  return nonEmpty(first, source);
}

function nonEmpty(secret: string, source: SecretSource): string {
  if (secret === '') throw new CliError(`the ${source.label.toLowerCase()} is empty; nothing was changed`);
  return secret;
}

/**
 * Asks a yes-or-no question at the terminal (on stderr; the terminal echoes the answer); only
 * y or yes, in any case, is yes. Read as plain lines: readline's terminal mode would write
 * cursor codes around the question.
 */
export async function confirm(io: Io, question: string): Promise<boolean> {
  const reader = createInterface({ input: io.stdin, terminal: false });
  try {
    io.stderr.write(question);
    const answer = await new Promise<string | undefined>((resolve) => {
      reader.once('line', resolve);
      reader.once('close', () => resolve(undefined));
    });
    return answer !== undefined && /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    reader.close();
  }
}

/**
 * Asks each prompt in turn on stderr, with the terminal's echo off (readline echoes to its
 * `output`, here a sink). Lines are queued as they arrive: readline emits every line it has
 * read at once, so a pasted second line would be lost between two `question` calls.
 */
async function ask(io: Io, prompts: string[]): Promise<string[]> {
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const reader = createInterface({ input: io.stdin, output: silent, terminal: true });
  const queued: string[] = [];
  let waiting: ((line: string | undefined) => void) | undefined;
  let closed = false;
  const hand = (line: string | undefined) => {
    const resolve = waiting;
    waiting = undefined;
    resolve?.(line);
  };
  reader.on('line', (line) => (waiting ? hand(line) : queued.push(line)));
  reader.on('close', () => {
    closed = true;
    hand(undefined);
  });
  const next = () => (queued.length > 0 || closed ? Promise.resolve(queued.shift()) : new Promise<string | undefined>((resolve) => (waiting = resolve)));
  const answers: string[] = [];
  try {
    for (const prompt of prompts) {
      io.stderr.write(prompt);
      const answer = await next();
      io.stderr.write('\n');
      if (answer === undefined) throw new CliError('no answer (end of input); nothing was changed');
      answers.push(answer);
    }
  } finally {
    reader.close();
  }
  return answers;
}
