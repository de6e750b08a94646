/**
 * `node bench/profile-top.mjs FILE.cpuprofile [N] [LAST_SECONDS]`: the N functions with the most
 * self time in a V8 CPU profile (as written by `BENCH_PROFILE=1 npm run bench`), and the time
 * spent under each of them (inclusive), to see where a request's time goes. LAST_SECONDS keeps
 * only the samples of the profile's last seconds ("40", or "40-10" to leave out the last 10):
 * the measured runs, not the first pass that loads every token from the store (at a million
 * tokens it dominates the whole profile), nor the shutdown's final write.
 */
import { readFileSync } from 'node:fs';

const [file, count = '30', lastSeconds] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const interval = (profile.endTime - profile.startTime) / profile.samples.length;
// "40" keeps the last 40 s; "40-10" keeps from 40 s to 10 s before the end (leaving out shutdown).
const [fromEnd, toEnd = '0'] = (lastSeconds ?? '').split('-');
const from = lastSeconds === undefined ? -Infinity : profile.endTime - Number(fromEnd) * 1e6;
const to = profile.endTime - Number(toEnd) * 1e6;
const self = new Map();
let at = profile.startTime;
profile.samples.forEach((id, i) => {
  at += profile.timeDeltas[i];
  if (at >= from && at <= to) self.set(id, (self.get(id) ?? 0) + 1);
});

const name = (node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(dist|bench)\//, '$1/')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`;
};

const bySelf = new Map();
let total = 0;
for (const [id, samples] of self) {
  const key = name(nodes.get(id));
  bySelf.set(key, (bySelf.get(key) ?? 0) + samples);
  total += samples;
}
const idle = [...bySelf].filter(([key]) => key.startsWith('(idle)')).reduce((sum, [, s]) => sum + s, 0);
console.log(`${((total * interval) / 1e6).toFixed(1)} s sampled, ${((100 * idle) / total).toFixed(1)}% idle\n`);
console.log('self %  function');
for (const [key, samples] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, Number(count))) {
  console.log(`${((100 * samples) / (total - idle)).toFixed(1).padStart(6)}  ${key}`);
}

// Inclusive: each sample counts once for every distinct function on its stack.
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const inclusive = new Map();
for (const [id, samples] of self) {
  if (name(nodes.get(id)).startsWith('(idle)')) continue;
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) seen.add(name(nodes.get(at)));
  for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + samples);
}
console.log('\ntotal %  function (inclusive)');
for (const [key, samples] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, Number(count))) {
  console.log(`${((100 * samples) / (total - idle)).toFixed(1).padStart(6)}  ${key}`);
}
