/** A log destination held in memory: what tokend wrote, as text or as parsed JSON lines. */
import { Writable } from 'node:stream';

export interface LogCapture {
  stream: Writable;
  lines: () => Array<Record<string, unknown>>;
  text: () => string;
  /** Forgets what was written so far: the next lines() and text() hold only what comes after. */
  clear: () => void;
}

export function captureLog(): LogCapture {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const text = () => chunks.join('');
  return {
    stream,
    text,
    clear: () => {
      chunks.length = 0;
    },
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
