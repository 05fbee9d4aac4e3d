import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { FastFailReport } from '../cases/fast-fail-case.ts';
import { measureImport, type ImportMode } from '../cases/import-case.ts';
import type { StreamRun } from '../cases/stream-case.ts';
import type { ThroughputRun } from '../cases/throughput-case.ts';
import { contenderNames, type ContenderName } from '../contenders/contender.ts';
import { describeMachine } from '../machine/describe-machine.ts';
import { startLimitedSimulator } from '../servers/start-limited-simulator.ts';
import { startServers, type ServerUrls } from '../servers/start-servers.ts';
import { spawnWorker, type Worker } from '../worker/spawn-worker.ts';
import { caseNames, type BenchPlan, type CaseName } from './bench-plan.ts';
import { roundOrder } from './round-order.ts';
import type { BenchResults, StreamTargetName, TargetName } from './bench-results.ts';

const targets: readonly TargetName[] = ['raw', 'simulator'];
const streamTargets: readonly StreamTargetName[] = [...targets, 'spread'];
const benchDir = fileURLToPath(new URL('../..', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../../../..', import.meta.url));

/** The packages whose cold import is timed; workspace packages name their folder for the `dist` check. */
const importedPackages: readonly { readonly specifier: string; readonly workspaceFolder?: string }[] = [
  { specifier: '@openai-integration/core', workspaceFolder: 'core' },
  { specifier: '@openai-integration/transport', workspaceFolder: 'transport' },
  { specifier: '@openai-integration/operations', workspaceFolder: 'operations' },
  { specifier: '@openai-integration/testkit', workspaceFolder: 'testkit' },
  { specifier: 'openai' },
  { specifier: 'ai' },
  { specifier: '@ai-sdk/openai' },
  { specifier: '@langchain/openai' },
];

/**
 * Runs the cases of the plan (all, or those in `cases`) and returns the raw
 * measurements: servers in a child process, each contender in worker processes of its
 * own, throughput and streams in interleaved rounds (in a balanced order; each timed
 * throughput run right after an untimed one on the same process), then the breaker,
 * memory (fresh `--expose-gc` workers), pacing under a rate limit (a fresh simulator
 * and a fresh worker per run) and cold imports (fresh processes, after the servers are
 * gone). `progress` gets one line per step.
 */
export async function runBench(
  plan: BenchPlan,
  progress: (line: string) => void,
  cases: readonly CaseName[] = caseNames,
): Promise<BenchResults> {
  const startedAt = new Date();
  const started = performance.now();
  const machine = await describeMachine();
  const runs = (name: CaseName): boolean => cases.includes(name);
  const rounds = runs('throughput') || runs('stream');
  const servers =
    rounds || runs('circuit') || runs('memory')
      ? await startServers({ streamChunks: plan.stream.chunks, spreadStream: plan.spreadStream })
      : undefined;
  const workers = new Map<ContenderName, Worker>();
  const throughput = targets.flatMap((target) =>
    runs('throughput')
      ? plan.throughput.flatMap(({ concurrency }) =>
          contenderNames.map((contender) => ({ target, concurrency, contender, runs: [] as ThroughputRun[] })),
        )
      : [],
  );
  const streams = streamTargets.flatMap((target) =>
    runs('stream') ? contenderNames.map((contender) => ({ target, contender, runs: [] as StreamRun[] })) : [],
  );
  try {
    if (rounds && servers !== undefined)
      await runRounds(plan, servers.urls, workers, runs, throughput, streams, progress);
    await Promise.all([...workers.values()].map((each) => each.stop()));
    workers.clear();

    let fastFail: FastFailReport | null = null;
    if (runs('circuit') && servers !== undefined) {
      progress('circuit breaker: refused calls with the circuit open');
      fastFail = await runFastFail(servers.urls, plan);
    }

    const memory: BenchResults['memory'][number][] = [];
    const rawURL = servers?.urls.raw;
    if (runs('memory') && rawURL !== undefined) {
      for (const name of plan.memory.contenders) {
        progress(
          `memory: ${plan.memory.calls.toLocaleString('en-US')} calls through ${name}, heap sampled every ${plan.memory.sampleEvery.toLocaleString('en-US')}`,
        );
        const memoryWorker = spawnWorker({ exposeGc: true });
        try {
          const run = await memoryWorker.run({
            type: 'memory',
            contender: name,
            baseURL: rawURL,
            calls: plan.memory.calls,
            sampleEvery: plan.memory.sampleEvery,
            concurrency: plan.memory.concurrency,
          });
          memory.push({ contender: name, run });
        } finally {
          await memoryWorker.stop();
        }
      }
    }
    await servers?.stop();

    const rateLimit = runs('rate-limit') ? await runRateLimited(plan, progress) : [];

    const imports: BenchResults['imports'][number][] = [];
    if (runs('import')) progress('cold import times in fresh processes');
    for (const entry of runs('import') ? importedPackages : []) {
      const modes: readonly ImportMode[] = entry.workspaceFolder === undefined ? ['dist'] : ['dist', 'source'];
      for (const mode of modes) {
        const built =
          entry.workspaceFolder === undefined ||
          mode === 'source' ||
          existsSync(`${repositoryRoot}packages/${entry.workspaceFolder}/dist/index.js`);
        const timesMs = built
          ? await measureImport(entry.specifier, { mode, runs: plan.importRuns, cwd: benchDir })
          : null;
        imports.push({ specifier: entry.specifier, mode, timesMs });
      }
    }

    return {
      plan,
      cases: caseNames.filter(runs),
      startedAt: startedAt.toISOString(),
      elapsedMs: performance.now() - started,
      machine,
      loadAverageAtEnd: os.loadavg()[0] ?? 0,
      throughput,
      streams,
      fastFail,
      memory,
      imports,
      rateLimit,
    };
  } finally {
    await Promise.all([...workers.values()].map((each) => each.stop()));
    await servers?.stop();
  }
}

/** Warms every contender up, then measures throughput and streams in interleaved rounds. */
async function runRounds(
  plan: BenchPlan,
  urls: ServerUrls,
  workers: Map<ContenderName, Worker>,
  runs: (name: CaseName) => boolean,
  throughput: readonly {
    readonly target: TargetName;
    readonly concurrency: number;
    readonly contender: ContenderName;
    readonly runs: ThroughputRun[];
  }[],
  streams: readonly {
    readonly target: StreamTargetName;
    readonly contender: ContenderName;
    readonly runs: StreamRun[];
  }[],
  progress: (line: string) => void,
): Promise<void> {
  for (const name of contenderNames) workers.set(name, spawnWorker());
  const worker = (name: ContenderName): Worker => {
    const found = workers.get(name);
    if (found === undefined) throw new Error(`no worker for ${name}`);
    return found;
  };
  const url = (target: StreamTargetName): string => urls[target];

  progress('warming up every contender against both servers');
  for (const target of targets) {
    const { calls, streams, burst } = plan.warmUp;
    await Promise.all(
      contenderNames.map((name) =>
        worker(name).run({ type: 'warm-up', contender: name, baseURL: url(target), calls, streams }),
      ),
    );
    // One contender at a time: a burst of many calls at once, untimed.
    for (const name of contenderNames)
      await worker(name).run({ type: 'throughput', contender: name, baseURL: url(target), ...burst });
  }
  if (runs('stream')) {
    // The spread streams come from a server of their own: a connection and a client to warm up.
    for (const name of contenderNames)
      await worker(name).run({ type: 'warm-up', contender: name, baseURL: url('spread'), calls: 0, streams: 2 });
  }

  for (let round = 0; round < plan.rounds; round += 1) {
    for (const target of targets) {
      for (const { concurrency, calls, settle } of runs('throughput') ? plan.throughput : []) {
        progress(`round ${round + 1}/${plan.rounds}: chat throughput, ${target} server, concurrency ${concurrency}`);
        for (const name of roundOrder(contenderNames, round)) {
          // Untimed: the process sat idle while the others ran; this brings it back to its steady state.
          await worker(name).run({
            type: 'throughput',
            contender: name,
            baseURL: url(target),
            concurrency,
            calls: settle,
          });
          const run = await worker(name).run({
            type: 'throughput',
            contender: name,
            baseURL: url(target),
            concurrency,
            calls,
          });
          throughput
            .find((entry) => entry.target === target && entry.concurrency === concurrency && entry.contender === name)
            ?.runs.push(run);
        }
      }
      if (!runs('stream')) continue;
      progress(`round ${round + 1}/${plan.rounds}: ${plan.stream.chunks}-chunk streams, ${target} server`);
      for (const name of roundOrder(contenderNames, round)) {
        const run = await worker(name).run({
          type: 'stream',
          contender: name,
          baseURL: url(target),
          streams: plan.stream.streams,
        });
        streams.find((entry) => entry.target === target && entry.contender === name)?.runs.push(run);
      }
    }
    if (!runs('stream')) continue;
    const { chunks, intervalMs } = plan.spreadStream;
    progress(`round ${round + 1}/${plan.rounds}: ${chunks}-chunk streams spread over time (${intervalMs} ms a frame)`);
    for (const name of roundOrder(contenderNames, round)) {
      const run = await worker(name).run({
        type: 'stream',
        contender: name,
        baseURL: url('spread'),
        streams: plan.spreadStream.streams,
      });
      streams.find((entry) => entry.target === 'spread' && entry.contender === name)?.runs.push(run);
    }
  }
}

/** Each contender against a fresh simulator enforcing each limit, one run at a time, each in a fresh worker. */
async function runRateLimited(
  plan: BenchPlan,
  progress: (line: string) => void,
): Promise<BenchResults['rateLimit'][number][]> {
  const { durationMs, concurrency, contenders, limits } = plan.rateLimit;
  const measured: BenchResults['rateLimit'][number][] = [];
  for (const limit of limits) {
    for (const contender of contenders) {
      progress(
        `pacing under a rate limit: ${contender}, ${limit.binding} per minute enforced, ${concurrency} callers for ${(durationMs / 1_000).toFixed(0)} s`,
      );
      const simulator = await startLimitedSimulator(limit);
      const worker = spawnWorker();
      try {
        const run = await worker.run({
          type: 'rate-limit',
          contender,
          baseURL: simulator.baseURL,
          concurrency,
          durationMs,
        });
        measured.push({ limit, contender, run });
      } finally {
        await worker.stop();
        await simulator.stop();
      }
    }
  }
  return measured;
}

async function runFastFail(urls: ServerUrls, plan: BenchPlan): Promise<FastFailReport> {
  const worker = spawnWorker();
  try {
    return await worker.run({ type: 'fast-fail', failingBaseURL: urls.failing, ...plan.fastFail });
  } finally {
    await worker.stop();
  }
}
