/**
 * Pools the output of several runs of ab-cpu.mjs: every server is one sample of its build (the
 * build is the server's name without its trailing number: m1, m2 … are build "m"). Prints each
 * build's median CPU per GET over all its servers, and each build's median against the base's
 * with a 95% bootstrap interval (servers drawn again with replacement within each build), so that
 * a difference is read against the spread of servers of one build, which on a shared host is
 * larger than the differences we look for. Usage (each file one or more runs, `---` between runs,
 * as `for r in 1 2 3; do …; echo ---; done` writes them):
 *   node bench/ab-pool.mjs BASE=b run1.txt run2.txt …   (or the runs on stdin)
 */
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const base = (args.find((arg) => arg.startsWith('BASE=')) ?? 'BASE=b').slice('BASE='.length);
const files = args.filter((arg) => !arg.startsWith('BASE='));
const text = files.length > 0 ? files.map((file) => readFileSync(file, 'utf8')).join('\n---\n') : readFileSync(0, 'utf8');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// Runs are separated by a line of dashes (or are files of their own). The host's speed drifts
// between runs far more than within one, so each server's figure is taken relative to the median
// of every server of its run, and scaled back by the median of the runs' medians for reading.
const samples = {};
const runs = text
  .split(/^-{3,}$/m)
  .map((run) => [...run.matchAll(/^([a-z]+)\d*: ([\d.]+) µs main-thread CPU per GET/gm)].map((match) => ({ build: match[1], us: Number(match[2]) })))
  .filter((run) => run.length > 0);
const runMedians = runs.map((run) => median(run.map(({ us }) => us)));
const scale = median(runMedians);
runs.forEach((run, i) => {
  for (const { build, us } of run) (samples[build] ??= []).push((us / runMedians[i]) * scale);
});
console.log(`${runs.length} runs; their medians ${runMedians.map((us) => us.toFixed(1)).join(', ')} µs; figures below scaled to ${scale.toFixed(2)}`);

/** A fixed generator, so that the same runs always print the same interval. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function resampled(values, next) {
  return values.map(() => values[Math.floor(next() * values.length)]);
}

const baseSamples = samples[base];
if (baseSamples === undefined) throw new Error(`no server of the base build "${base}" in the runs`);
for (const [build, values] of Object.entries(samples)) {
  const line = `${build}: ${values.length} servers, median ${median(values).toFixed(2)} µs (min ${Math.min(...values).toFixed(2)}, max ${Math.max(...values).toFixed(2)})`;
  if (build === base) {
    console.log(`${line}, the base`);
    continue;
  }
  const next = random(20261207);
  const ratios = [];
  for (let i = 0; i < 10_000; i++) ratios.push(median(resampled(values, next)) / median(resampled(baseSamples, next)));
  ratios.sort((a, b) => a - b);
  const percent = (ratio) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%`;
  console.log(`${line}, ${percent(median(values) / median(baseSamples))} against ${base} (95%: ${percent(ratios[249])} to ${percent(ratios[9749])})`);
}
