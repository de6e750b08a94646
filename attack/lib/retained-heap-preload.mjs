/**
 * Loaded into a tokend child before its own code (`node --expose-gc --import`, see
 * retained-heap.mjs), by the fuzzing attack only: on SIGUSR2 it collects garbage in full and
 * writes what is still held (V8's heap in use, and the memory outside it that JavaScript objects
 * hold: Buffers, ArrayBuffers) to $ATTACK_RETAINED_FILE. tokend itself handles no SIGUSR2.
 */
import { renameSync, writeFileSync } from 'node:fs';

const file = process.env.ATTACK_RETAINED_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    // A second collection frees what the first one's finalizers and weak callbacks let go.
    globalThis.gc();
    globalThis.gc();
    const { heapUsed, external } = process.memoryUsage();
    // Written whole, then renamed: the campaign never reads half a file.
    writeFileSync(`${file}.part`, JSON.stringify({ heapUsed, external }));
    renameSync(`${file}.part`, file);
  });
}
