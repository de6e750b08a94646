/**
 * bench/RESULTS.md: the machine, the settings, the command, then medians of every figure with
 * its ratio to the baseline of the same run, the targets of the issue, and memory.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { ROOT } from './paths.mjs';

const ENV_SHOWN = ['BENCH_SIZES', 'BENCH_DURATION', 'BENCH_ROUNDS', 'BENCH_WARMUP', 'BENCH_ONLY', 'BENCH_PROFILE'];

export function collectMachine() {
  const git = (...args) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  const envPart = ENV_SHOWN.filter((name) => process.env[name]).map((name) => `${name}=${process.env[name]}`);
  if (process.env.TOKEND_BENCH_DATABASE) envPart.push('TOKEND_BENCH_DATABASE=postgres://…');
  return {
    cpu: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    date: new Date().toISOString(),
    commit: `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!bench/RESULTS.md') ? ' (with uncommitted changes)' : ''}`,
    command: [...envPart, 'npm run bench'].join(' '),
    loadBefore: os.loadavg(),
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const fmt = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const int = (value) => Math.round(value).toLocaleString('en-US');
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** Medians per (backend, n, group, server). */
function summarize(runs) {
  const keyed = new Map();
  for (const run of runs) {
    const key = `${run.backend}|${run.n}|${run.group}|${run.server}`;
    if (!keyed.has(key)) keyed.set(key, { ...run, all: [] });
    keyed.get(key).all.push(run);
  }
  return [...keyed.values()].map((entry) => ({
    backend: entry.backend,
    n: entry.n,
    group: entry.group,
    title: entry.title,
    server: entry.server,
    rps: median(entry.all.map((r) => r.rps)),
    p50: median(entry.all.map((r) => r.p50)),
    p99: median(entry.all.map((r) => r.p99)),
    cpuUs: median(entry.all.map((r) => r.cpuUs)),
    runs: entry.all.map((r) => Math.round(r.rps)),
    mixed: entry.all.map((r) => r.mixed).filter(Boolean),
  }));
}

function targets(rows) {
  const find = (backend, n, group, server) => rows.find((r) => r.backend === backend && r.n === n && r.group === group && r.server === server);
  const out = [];
  for (const backend of [...new Set(rows.map((r) => r.backend))]) {
    for (const n of [...new Set(rows.map((r) => r.n))]) {
      const base = find(backend, n, 'get', 'baseline');
      const tokend = find(backend, n, 'get', 'tokend');
      const at = `${backend}, ${int(n)} tokens`;
      if (base && tokend) {
        const floor = n >= 1_000_000 ? 0.8 : 0.85;
        out.push({ target: `GET /tokens/me req/s ≥ ${floor} × baseline (${at})`, value: tokend.rps / base.rps, ok: tokend.rps / base.rps >= floor });
        out.push({ target: `GET /tokens/me p99 ≤ 1.5 × baseline (${at})`, value: tokend.p99 / base.p99, ok: tokend.p99 / base.p99 <= 1.5 });
      }
      const peer = find('sqlite', n, 'get', 'oidc-provider introspection');
      if (tokend && peer)
        out.push({ target: `GET /tokens/me ≥ 2 × oidc-provider introspection (${at})`, value: tokend.rps / peer.rps, ok: tokend.rps / peer.rps >= 2 });
      const issueBase = find(backend, n, 'issue', 'baseline');
      const issued = find(backend, n, 'issue', 'tokend');
      if (issueBase && issued)
        out.push({ target: `client-credentials issuance ≥ 0.30 × baseline (${at})`, value: issued.rps / issueBase.rps, ok: issued.rps / issueBase.rps >= 0.3 });
      const mixedRow = find(backend, n, 'mixed', 'tokend');
      if (mixedRow) {
        const violations = mixedRow.mixed.reduce((sum, m) => sum + m.violations, 0);
        const checks = mixedRow.mixed.reduce((sum, m) => sum + m.revokedChecks + m.sweep, 0);
        out.push({ target: `no token accepted after revocation (${at}): ${int(checks)} checks`, value: violations, ok: violations === 0, count: true });
      }
    }
  }
  return out;
}

export function renderResults({ machine, settings, runs, memories, failures }) {
  const rows = summarize(runs);
  const lines = [
    '# tokend benchmark results',
    '',
    `Produced by \`${machine.command}\` (bench/run.mjs) at commit ${machine.commit}.`,
    '',
    '| | |',
    '|---|---|',
    `| date | ${machine.date} |`,
    `| machine | ${machine.cpu}, ${machine.memory} RAM, ${machine.os} |`,
    `| Node.js | ${machine.node} |`,
    `| load average (1/5/15 min) before, after | ${machine.loadBefore.map((l) => l.toFixed(2)).join(' / ')}, ${machine.loadAfter.map((l) => l.toFixed(2)).join(' / ')} |`,
    `| load | autocannon, 50 connections, keep-alive, no pipelining, ${settings.duration} s per run, ${settings.rounds} alternating rounds (medians below), ${settings.warmup} s unrecorded warm-up per server and workload |`,
    '| tokend | `node dist/src/cli/main.js serve` at its default settings (log level info: one access line per request, stdout to a file on disk; default token cache of 1,000,000), only the rate limits out of reach: TOKEND_RATE_LIMIT=1000000000, TOKEND_ISSUE_RATE_LIMIT=1000000000 |',
    '',
    '## Targets',
    '',
    '| target | measured | met |',
    '|---|---|---|',
    ...targets(rows).map((t) => `| ${t.target} | ${t.count ? `${t.value} violations` : `${fmt(t.value)}×`} | ${t.ok ? 'yes' : '**no**'} |`),
    '',
    '## Throughput and latency (medians)',
    '',
    'Ratios are to the bare node:http baseline of the same workload, store and run. "Server CPU µs/req" is the CPU time of the server\'s event-loop thread per request (from /proc/PID/schedstat): on a shared, loaded machine it is the steadiest figure, and "baseline CPU ÷ CPU" is the throughput ratio the server would reach where the CPU, not the load generator, is the limit.',
    '',
    '| workload | store | tokens | server | req/s | p50 ms | p99 ms | req/s ÷ baseline | p99 ÷ baseline | server CPU µs/req | baseline CPU ÷ CPU | req/s of each run |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const base = rows.find((r) => r.backend === row.backend && r.n === row.n && r.group === row.group && r.server === 'baseline');
    lines.push(
      `| ${row.title} | ${row.backend} | ${int(row.n)} | ${row.server} | ${int(row.rps)} | ${fmt(row.p50)} | ${fmt(row.p99)} | ${fmt(row.rps / base.rps)} | ${fmt(row.p99 / base.p99)} | ${fmt(row.cpuUs, 1)} | ${fmt(base.cpuUs / row.cpuUs)} | ${row.runs.join(', ')} |`,
    );
  }
  lines.push('', '## Memory (tokend)', '');
  lines.push(
    "Resident memory of the tokend process once ready, then after one request with each prepared token (a HEAD, every token once, in order: the cache then holds all of them), and the growth divided by the number of tokens. \"Own\" is the process's anonymous memory (heap, token cache, SQLite's page cache); \"file-mapped\" is the part of SQLite's memory-mapped database file resident at the time: the kernel's page cache, shared and reclaimable, counted in RSS but not tokend's own. The first pass is also the cold-cache figure: each request is a store read.",
  );
  lines.push(
    '',
    '| store | tokens | own memory ready | own memory warm | per cached token | file-mapped ready → warm | first pass req/s (cold cache) | first pass p99 ms |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const m of memories) {
    lines.push(
      `| ${m.backend} | ${int(m.n)} | ${mib(m.rssStarted.anon)} | ${mib(m.rssWarm.anon)} | ${int((m.rssWarm.anon - m.rssStarted.anon) / m.n)} bytes | ${mib(m.rssStarted.file)} → ${mib(m.rssWarm.file)} | ${int(m.firstPass.rps)} | ${fmt(m.firstPass.p99)} |`,
    );
  }
  const mixedRows = rows.filter((r) => r.group === 'mixed' && r.server === 'tokend');
  if (mixedRows.length > 0) {
    lines.push('', '## Revocation check (mixed workload)', '');
    lines.push(
      '| store | tokens | GET with live token | GET with revoked token (must be 401) | GET in flight as its token was revoked (200 or 401) | issued | revoked | swept after run | violations |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const row of mixedRows) {
      const sum = (field) => row.mixed.reduce((total, m) => total + m[field], 0);
      lines.push(
        `| ${row.backend} | ${int(row.n)} | ${int(sum('validations'))} | ${int(sum('revokedChecks'))} | ${int(sum('raced'))} | ${int(sum('issued'))} | ${int(sum('revocations'))} | ${int(sum('sweep'))} | ${sum('violations')} |`,
      );
    }
  }
  if (failures.length > 0) lines.push('', '## FAILURES', '', ...failures.map((f) => `- ${f}`));
  lines.push('');
  return lines.join('\n');
}
