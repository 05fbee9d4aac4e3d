// The shared-limit benchmark: several processes on one API key against a simulator that
// enforces one rate limit, with the bare SDK, operations on its in-memory store (each
// process paces alone) and operations on the Redis store (they pace as one). Writes the
// section "Many processes on one key" of BENCHMARKS.md.
//
//   pnpm --filter @openai-integration/bench shared-limit            # 60 s per client, about 4 minutes
//   pnpm --filter @openai-integration/bench shared-limit -- --quick # 10 s per client; prints only
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeSections } from '../report/merge-sections.ts';
import { startLimitedSimulator } from '../servers/start-limited-simulator.ts';
import { percentile } from '../stats/percentile.ts';
import type { SharedLimitContender, SharedLimitWorkerReport } from './shared-limit-protocol.ts';

const quick = process.argv.includes('--quick');
const processes = 4;
const concurrency = 16;
const durationMs = quick ? 10_000 : 60_000;
const requestsPerMinute = 600;
const tokensPerMinute = 1_000_000;
const contenders: readonly { readonly name: SharedLimitContender; readonly label: string }[] = [
  { name: 'openai', label: 'openai SDK (its default 2 retries)' },
  { name: 'operations', label: '@openai-integration/operations, in-memory store (each process alone)' },
  { name: 'operations-redis', label: '**@openai-integration/operations + redis-store**' },
];
const workerPath = fileURLToPath(new URL('./shared-limit-worker.ts', import.meta.url));
const page = fileURLToPath(new URL('../../../../BENCHMARKS.md', import.meta.url));
const progress = (line: string): void => {
  process.stderr.write(`[shared-limit] ${line}\n`);
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });
}

/** A private redis-server on a free loopback port, without persistence. */
async function startRedis(): Promise<{ readonly url: string; stop(): void }> {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0)
    throw new Error('redis-server is not installed (as root: apt-get install -y redis-server)');
  const dir = mkdtempSync(join(tmpdir(), 'bench-redis-'));
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => {
      reject(new Error(`redis-server exited with ${String(code)}`));
    });
  });
  child.stdout.resume();
  return {
    url: `redis://127.0.0.1:${String(port)}`,
    stop: () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Run {
  readonly contender: SharedLimitContender;
  readonly label: string;
  readonly reports: readonly SharedLimitWorkerReport[];
}

async function runContender(name: SharedLimitContender, label: string, redisUrl: string): Promise<Run> {
  progress(
    `${name}: ${String(processes)} processes x ${String(concurrency)} callers for ${String(durationMs / 1_000)} s`,
  );
  const simulator = await startLimitedSimulator({ requestsPerMinute, tokensPerMinute });
  const workers: ChildProcess[] = [];
  try {
    const settings = {
      contender: name,
      baseURL: simulator.baseURL,
      redisUrl,
      prefix: `bench-${String(process.pid)}-${name}`,
      instances: processes,
      concurrency,
      durationMs,
    };
    const ready: Promise<void>[] = [];
    const reports: Promise<SharedLimitWorkerReport>[] = [];
    for (let index = 0; index < processes; index += 1) {
      const child = fork(workerPath, [JSON.stringify(settings)], {
        execArgv: ['--conditions=@openai-integration/source'],
        // The operations' own warnings (calls aborted when the time is up) would only be noise here.
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      });
      workers.push(child);
      ready.push(
        new Promise((resolve) => {
          child.once('message', () => {
            resolve();
          });
        }),
      );
      reports.push(
        new Promise((resolve, reject) => {
          child.on('message', (message: { readonly type: string }) => {
            if (message.type === 'report') resolve(message as SharedLimitWorkerReport);
          });
          child.once('exit', (code) => {
            reject(new Error(`a ${name} worker exited with ${String(code)} before reporting`));
          });
        }),
      );
    }
    await Promise.all(ready);
    for (const child of workers) child.send('go');
    return { contender: name, label, reports: await Promise.all(reports) };
  } finally {
    for (const child of workers) if (child.exitCode === null) child.kill('SIGKILL');
    await simulator.stop();
  }
}

const sum = (reports: readonly SharedLimitWorkerReport[], pick: (report: SharedLimitWorkerReport) => number): number =>
  reports.reduce((total, report) => total + pick(report), 0);
const format = (value: number): string => value.toLocaleString('en-US');

function render(runs: readonly Run[], startedAt: Date, loadStart: number, loadEnd: number): string {
  const allowed = requestsPerMinute + (requestsPerMinute * durationMs) / 60_000;
  const rows = runs.map((run) => {
    const { reports } = run;
    const successes = sum(reports, (report) => report.successes);
    const requests = sum(reports, (report) => report.requests);
    const limited = sum(reports, (report) => report.rateLimited);
    const calls = sum(reports, (report) => report.calls);
    const latencies = reports.flatMap((report) => report.latencies);
    const failures: Record<string, number> = {};
    for (const report of reports)
      for (const [kind, count] of Object.entries(report.failures)) failures[kind] = (failures[kind] ?? 0) + count;
    const failed = Object.entries(failures)
      .map(([kind, count]) => `${format(count)} ${kind}`)
      .join(', ');
    const commands = sum(reports, (report) => report.redisCommands);
    return {
      run,
      successes,
      fraction: successes / allowed,
      requests,
      limited,
      limitedShare: requests === 0 ? 0 : limited / requests,
      cells: [
        run.label,
        format(successes),
        (successes / allowed).toFixed(3),
        format(requests),
        `${format(limited)} (${(requests === 0 ? 0 : (100 * limited) / requests).toFixed(1)}%)`,
        format(sum(reports, (report) => report.refusals)),
        failed === '' ? 'none' : failed,
        percentile(latencies, 50).toFixed(0),
        percentile(latencies, 99).toFixed(0),
        run.contender === 'operations-redis' ? (calls === 0 ? '0' : (commands / calls).toFixed(2)) : 'n/a',
      ],
    };
  });
  const redis = rows.find((row) => row.run.contender === 'operations-redis');
  const header =
    '| client | successes | of allowed | requests sent | answered 429 | refused by the client | other failures | p50 ms | p99 ms | Redis commands per call |';
  const rule = '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |';
  const table = [header, rule, ...rows.map((row) => `| ${row.cells.join(' | ')} |`)].join('\n');
  const targets =
    redis === undefined
      ? ''
      : [
          '',
          '| target (operations + redis-store) | threshold | measured | met |',
          '| --- | --- | --- | --- |',
          `| successes | at least 0.95 of what the limit allowed | ${redis.fraction.toFixed(3)} (${format(redis.successes)} of ${format(allowed)}) | ${redis.fraction >= 0.95 ? 'yes' : 'no'} |`,
          `| requests answered 429 | at most 1% | ${(100 * redis.limitedShare).toFixed(2)}% (${format(redis.limited)} of ${format(redis.requests)}) | ${redis.limitedShare <= 0.01 ? 'yes' : 'no'} |`,
        ].join('\n');
  return `## Many processes on one key

${String(processes)} client processes share one API key against the testkit simulator enforcing ${format(requestsPerMinute)} requests per minute for that key (a bucket that starts full and refills continuously; OpenAI's headers; a 429 with \`retry-after-ms\` when a call does not fit), a fresh simulator for each client. Each process calls \`chat.create\` in a loop from ${String(concurrency)} callers for ${String(durationMs / 1_000)} s, default options; calls still waiting when the time is up are aborted and not counted. The in-memory store paces each process alone on what the headers tell it; the Redis store (\`createRedisStoreFromUrl\`, \`instances: ${String(processes)}\`, no borrowing) makes the processes take from one budget on a local redis-server. "Of allowed": successes over what the limit let through in the run, the full bucket plus its refill (${format(allowed)}). Run by \`pnpm --filter @openai-integration/bench shared-limit\` on ${startedAt.toISOString()}, 1-minute load average ${loadStart.toFixed(2)} at the start and ${loadEnd.toFixed(2)} at the end.

${table}
${targets}`;
}

const startedAt = new Date();
const loadStart = os.loadavg()[0] ?? 0;
const redis = await startRedis();
const runs: Run[] = [];
try {
  for (const { name, label } of contenders) runs.push(await runContender(name, label, redis.url));
} finally {
  redis.stop();
}
const section = render(runs, startedAt, loadStart, os.loadavg()[0] ?? 0);
process.stdout.write(`${section}\n`);
if (!quick) {
  writeFileSync(
    page,
    mergeSections(readFileSync(page, 'utf8'), [
      { case: null, marker: '## Many processes on one key', markdown: section },
    ]),
  );
  progress(`wrote ${page}`);
}
