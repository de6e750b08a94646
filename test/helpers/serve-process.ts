/**
 * `tokend serve` as a child process, for the tests that run the command itself (the CLI's serve
 * tests, the packed tarball's): resolved with its address once it listens, and once `waitFor`
 * has shown in its output (the demo banner, for instance); rejected with its output if it exits
 * first or does not listen within a minute.
 */
import { type ChildProcess, spawn } from 'node:child_process';

/**
 * The test runner marks its children (NODE_TEST_CONTEXT); tokend is not one of them. The
 * caller's own tokend settings are left out, so that each test says where tokend listens and
 * what store it has.
 */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['NODE_TEST_CONTEXT', 'HOST', 'PORT', 'TOKEND_DATABASE', 'TOKEND_SEED', 'TOKEND_DEMO']) delete env[name];
  return { ...env, ...extra };
}

export interface ServeOptions {
  /** What the output must show besides pino's "Server listening at" line. */
  waitFor?: RegExp;
  args?: string[];
  cwd?: string;
}

export function startServe(
  main: string,
  env: Record<string, string>,
  { waitFor = /Server listening at/, args = [], cwd }: ServeOptions = {},
): Promise<{ child: ChildProcess; address: string; output: () => string }> {
  const child = spawn(process.execPath, [main, 'serve', ...args], {
    env: childEnv({ PORT: '0', TOKEND_LOG_LEVEL: 'info', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(cwd === undefined ? {} : { cwd }),
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not listening: ${output}`));
    }, 60_000);
    child.stdout?.on('data', () => {
      const match = /Server listening at (http:\/\/[\d.:]+)/.exec(output);
      if (match?.[1] && waitFor.test(output)) {
        clearTimeout(timer);
        resolve({ child, address: match[1], output: () => output });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${output}`));
    });
  });
}
