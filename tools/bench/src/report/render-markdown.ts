import { contenderLabels, contenderNames, type ContenderName } from '../contenders/contender.ts';
import type { BenchResults, StreamTargetName } from '../run/bench-results.ts';
import type { Summary } from '../stats/summarize.ts';
import type { CaseName } from '../run/bench-plan.ts';
import { flatHeapBytesPerCall, rateLimitTargets, type BenchAnalysis, type RateLimitRow } from './analyze-results.ts';

const targetLabels: Readonly<Record<StreamTargetName, string>> = {
  raw: 'raw `node:http` server (the floor)',
  simulator: 'testkit simulator',
  spread: 'testkit simulator, pausing before each frame',
};

const table = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

const fixed = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const whole = (value: number): string => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a');
const signed = (value: number, digits: number): string =>
  Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(digits)}` : 'n/a';
const megabytes = (bytes: number): string => fixed(bytes / 1_048_576, 1);
const ratio = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a');
/** A summary as "median (min-max)". */
const spread = (summary: Summary, format: (value: number) => string): string =>
  `${format(summary.median)} (${format(summary.min)}-${format(summary.max)})`;
const label = (name: ContenderName): string =>
  name === 'operations' ? `**${contenderLabels[name]}**` : contenderLabels[name];
const byContender = <Row extends { readonly contender: ContenderName }>(rows: readonly Row[]): Row[] =>
  [...rows].sort((a, b) => contenderNames.indexOf(a.contender) - contenderNames.indexOf(b.contender));

/** One `## ` section of the page, and the case that produced it. */
export interface PageSection {
  /** The case whose measurements it shows; null for the page's own parts (introduction, targets, machine). */
  readonly case: CaseName | null;
  /** Its heading up to the first number: what finds the same section in an earlier page. */
  readonly marker: string;
  readonly markdown: string;
}

/**
 * Renders a run as the BENCHMARKS.md page: the targets and whether they are met, the
 * result tables (absolute numbers with their spread, and ratios to the bare SDK), the
 * machine, and the command that reproduces the run.
 */
export function renderMarkdown(results: BenchResults, analysis: BenchAnalysis): string {
  return `${renderSections(results, analysis)
    .map((section) => section.markdown)
    .join('\n\n')}\n`;
}

/** The sections of the page for a run, in page order; a case the run left out has no section. */
export function renderSections(results: BenchResults, analysis: BenchAnalysis): PageSection[] {
  const { plan, machine } = results;
  const targets = [...new Set(analysis.throughput.map((row) => row.target))];
  const concurrencies = [...new Set(analysis.throughput.map((row) => row.concurrency))].sort((a, b) => a - b);
  const sections: PageSection[] = [];
  const add = (caseName: CaseName | null, markdown: string): void => {
    const heading = /^#+ [^\d\n]*/.exec(markdown)?.[0] ?? markdown.slice(0, 40);
    if (caseName === null || results.cases.includes(caseName))
      sections.push({ case: caseName, marker: heading.trimEnd(), markdown });
  };

  add(
    null,
    `# Benchmarks

What the integration's resilience (retry, circuit breaker, rate-limit pacing, typed
results, usage tracking) costs per call, measured side by side with bare \`fetch\`, the
bare \`openai\` SDK, the Vercel AI SDK and LangChain.js, on loopback. This page is
written by \`pnpm bench\`; how the numbers are taken and how to read them is in
[tools/bench/README.md](tools/bench/README.md).

Numbers are from a shared ${machine.cores}-core VM: other work ran on the same machine
during the run (1-minute load average ${fixed(machine.loadAverage, 2)} at the start,
${fixed(results.loadAverageAtEnd, 2)} at the end). Compare the ratios, which pair
clients measured in the same round, rather than the absolute numbers.
${plan.mode === 'quick' ? '\n**This is a `--quick` run: a handful of iterations per case, for checking that the benchmark works. Its numbers mean nothing.**\n' : ''}
Run of ${results.startedAt} (${fixed(results.elapsedMs / 60_000, 1)} min): ${plan.rounds} rounds per case, every
client in its own process, the servers in another; the rounds run the clients in a
balanced order (each one first, last and right after each other client equally often),
and each timed throughput run comes right after an untimed one on the same process.`,
  );

  add(
    null,
    `## Targets

Checked on the raw server, where the server's own work is least and the client's cost
shows most.

${table(
  ['target', 'threshold', 'measured', 'met'],
  analysis.targets.map((check) => [check.target, check.threshold, check.measured, check.met ? 'yes' : '**no**']),
)}`,
  );

  const throughputSection = [
    `## Chat throughput (requests per second)

Non-streamed chat completions, ${plan.throughput.map((entry) => `${entry.calls.toLocaleString('en-US')} calls per run at concurrency ${entry.concurrency}`).join(', ')}.
Median over the rounds (min-max), and the median of the per-round ratio to the bare SDK.`,
  ];
  for (const target of targets) {
    const rows = byContender(
      analysis.throughput.filter((row) => row.target === target && row.concurrency === concurrencies[0]),
    ).map((first) => [
      label(first.contender),
      ...concurrencies.flatMap((concurrency) => {
        const row = analysis.throughput.find(
          (entry) =>
            entry.target === target && entry.concurrency === concurrency && entry.contender === first.contender,
        );
        return row === undefined ? ['n/a', 'n/a'] : [spread(row.requestsPerSecond, whole), ratio(row.ratioToSdk)];
      }),
    ]);
    throughputSection.push(`### Against the ${targetLabels[target]}

${table(['client', ...concurrencies.flatMap((concurrency) => [`req/s at concurrency ${concurrency}`, 'vs bare SDK'])], rows)}`);
  }
  add('throughput', throughputSection.join('\n\n'));

  const latencySection = [
    `## Latency per call (concurrency 1)

Each call timed on its own; p50 and p99 per run, median over the rounds (min-max).
"Added" is the per-round difference to bare \`fetch\` (the floor) and to the bare SDK
(what a library built on the SDK adds), median over the rounds. "Client CPU" is the
user + system CPU time of the client's process per call: its own work, whatever the wait.`,
  ];
  for (const target of targets) {
    const rows = byContender(analysis.latency.filter((row) => row.target === target)).map((row) => [
      label(row.contender),
      spread(row.p50Ms, (value) => fixed(value, 3)),
      spread(row.p99Ms, (value) => fixed(value, 3)),
      signed(row.addedP50VsFetchMs, 3),
      signed(row.addedP99VsFetchMs, 3),
      signed(row.addedP50VsSdkMs, 3),
      spread(row.cpuMicrosPerCall, whole),
    ]);
    latencySection.push(`### Against the ${targetLabels[target]}

${table(['client', 'p50 ms', 'p99 ms', 'added p50 vs fetch, ms', 'added p99 vs fetch, ms', 'added p50 vs bare SDK, ms', 'client CPU per call, us'], rows)}`);
  }
  add('throughput', latencySection.join('\n\n'));

  const streamSection = [
    `## A ${plan.stream.chunks.toLocaleString('en-US')}-chunk stream

One streamed chat completion of ${plan.stream.chunks.toLocaleString('en-US')} text chunks (the raw server writes them
as fast as the socket takes them; the simulator generates them, \`max_completion_tokens: ${plan.stream.chunks}\`),
read to the end. ${plan.stream.streams} streams per run; median per run, then median over the
rounds (min-max). Time to first text includes the request.`,
  ];
  const streamRows = (target: StreamTargetName): string[][] =>
    byContender(analysis.streams.filter((row) => row.target === target)).map((row) => [
      label(row.contender),
      spread(row.firstTextMs, (value) => fixed(value, 2)),
      ratio(row.firstTextRatioToSdk),
      spread(row.totalMs, (value) => fixed(value, 2)),
      ratio(row.totalRatioToSdk),
      spread(row.cpuMs, (value) => fixed(value, 1)),
      String(row.textChunks),
    ]);
  const streamHeader = [
    'client',
    'first text, ms',
    'first text vs bare SDK',
    'total, ms',
    'total vs bare SDK',
    'client CPU per stream, ms',
    'text chunks seen',
  ];
  for (const target of (['raw', 'simulator'] as const).filter((name) =>
    analysis.streams.some((row) => row.target === name),
  )) {
    streamSection.push(`### From the ${targetLabels[target]}

${table(streamHeader, streamRows(target))}`);
  }
  add('stream', streamSection.join('\n\n'));

  if (analysis.streams.some((row) => row.target === 'spread')) {
    const { chunks, intervalMs, streams } = plan.spreadStream;
    add(
      'stream',
      `## Streams spread over time

One streamed chat completion of ${chunks} text chunks from the testkit simulator, which pauses
${intervalMs} ms before each frame (a \`slow\` fault on every request), as a model generating text
does: each chunk arrives in a network read of its own, so what a client does per chunk and
before its first text shows, rather than how fast it parses a buffer full of frames.
${streams} streams per run; median per run, then median over the rounds (min-max). Time to first text
includes the request and the pauses before the first frames.

${table(streamHeader, streamRows('spread'))}`,
    );
  }

  const fast = results.fastFail;
  if (fast !== null) {
    add(
      'circuit',
      `## Circuit open: failing fast

Against a server that answers every call with HTTP 500. The integration's breaker
(defaults: opens when half of the last 100 calls failed, once 50 are in the window; a call
counts once however often it is retried) opened after ${fast.callsToOpen} failing calls (sent with
\`retry: { maxRetries: 0 }\`, one request each; with the default retry policy each of them
would first retry for up to a minute). Then ${plan.fastFail.refusals.toLocaleString('en-US')} calls with the default policies, one
after the other, each refused with \`CircuitOpenError\` before any request
(${fast.requestsWhileOpen} requests reached the server while the circuit was open). The bare SDK, the
Vercel AI SDK and LangChain.js have no circuit breaker: every call goes to the failing
server.

${table(
  ['call', 'calls per second', 'time per call'],
  [
    [
      'operations, circuit open, refused (default log level: one warn line per refusal)',
      whole(fast.refusalsPerSecond),
      `${fixed(1_000_000 / fast.refusalsPerSecond, 1)} us`,
    ],
    [
      'operations, circuit open, refused (logging off)',
      whole(fast.quietRefusalsPerSecond),
      `${fixed(1_000_000 / fast.quietRefusalsPerSecond, 1)} us`,
    ],
    [
      'operations, failing call that reaches the server (HTTP 500, loopback; breaker and retries off for this row)',
      whole(1_000 / fast.failingCallMs),
      `${fixed(fast.failingCallMs, 3)} ms`,
    ],
    [
      'bare SDK, failing call, `maxRetries: 0` (HTTP 500, loopback)',
      whole(1_000 / fast.sdkFailingCallMs),
      `${fixed(fast.sdkFailingCallMs, 3)} ms`,
    ],
    [
      'bare SDK, failing call with its default 2 retries and backoff',
      fast.sdkRetryingCallMs === null ? 'not measured' : fixed(1_000 / fast.sdkRetryingCallMs, 2),
      fast.sdkRetryingCallMs === null ? 'not measured' : `${fixed(fast.sdkRetryingCallMs, 0)} ms`,
    ],
  ],
)}

On a real outage a failing call costs far more than a loopback 500: a connection
timeout, or the full request timeout (10 minutes by default in the SDK).`,
    );
  }

  const memoryRows = byContender(analysis.memory).map((row) => [
    label(row.contender),
    whole(row.calls),
    megabytes(row.heapStartBytes),
    megabytes(row.heapEndBytes),
    fixed(row.heapSlopeBytesPerCall, 2),
    fixed(row.heapLeastSquaresBytesPerCall, 2),
    `${megabytes(row.externalStartBytes)} -> ${megabytes(row.externalEndBytes)}`,
    `${megabytes(row.rssStartBytes)} -> ${megabytes(row.rssEndBytes)}`,
    row.heapSlopeBytesPerCall < flatHeapBytesPerCall ? 'yes' : '**no**',
  ]);
  const seriesRows = byContender(analysis.memory).map((row) => [
    label(row.contender),
    row.heapSamplesBytes.map(megabytes).join(', '),
  ]);
  add(
    'memory',
    `## Memory over ${plan.memory.calls.toLocaleString('en-US')} calls

Non-streamed chat calls against the raw server (concurrency ${plan.memory.concurrency}), in a fresh
\`node --expose-gc\` process per client. After a warm-up of ${plan.memory.sampleEvery.toLocaleString('en-US')} calls, the heap and RSS
are read after a full GC, then again every ${plan.memory.sampleEvery.toLocaleString('en-US')} calls. The slope is the
Theil-Sen fit (the median of the slopes between every two samples) of the heap over the
calls from the second sample on (the first still holds start-up code that V8 drops only
after several collections); one sample that a collection left a little lower or higher
cannot tilt it, as it tilts the least-squares fit shown beside it. Flat means under
${flatHeapBytesPerCall} bytes per call (an object kept per call costs at least 16). RSS also counts the
TypeScript loader and freed memory the allocator keeps, so only its trend matters.

${table(['client', 'calls', 'heap after warm-up, MB', 'heap at end, MB', 'heap slope (Theil-Sen), bytes/call', 'least squares, bytes/call', 'external, MB', 'RSS, MB', 'flat'], memoryRows)}

Heap after GC at each sample, MB:

${table(['client', 'samples'], seriesRows)}`,
  );

  const openaiImport = analysis.imports.find((row) => row.specifier === 'openai')?.distMs?.median ?? Number.NaN;
  const importRows = analysis.imports.map((row) => [
    `\`${row.specifier}\``,
    row.distMs === null ? 'not built' : spread(row.distMs, (value) => fixed(value, 0)),
    row.distMs === null ? 'n/a' : ratio(row.distMs.median / openaiImport),
    row.sourceMs === null ? '-' : spread(row.sourceMs, (value) => fixed(value, 0)),
  ]);
  add(
    'import',
    `## Cold import time

\`await import(name)\` in a fresh Node process, ${plan.importRuns} process${plan.importRuns === 1 ? '' : 'es'} per package, median (min-max) in ms.
"Published build" is what users import (\`dist/\` for workspace packages, as built when the
run started); "sources" is the workspace's TypeScript through Node's type stripping, as
the tools and tests load it. A package's time includes the libraries it imports (operations
loads openai, and transport and core load zod and neverthrow).

${table(['package', 'published build, ms', 'vs openai', 'sources, ms'], importRows)}`,
  );

  add('rate-limit', renderRateLimited(results, analysis.rateLimit));

  add(
    null,
    `## Machine

${table(
  ['', ''],
  [
    ['cores (`nproc`)', String(machine.cores)],
    ['CPU', machine.cpuModel],
    ['memory', `${fixed(machine.memoryBytes / 1_073_741_824, 1)} GiB`],
    ['Node', machine.nodeVersion],
    ['OS', machine.platform],
  ],
)}

## Reproduce

From the repository root:

\`\`\`sh
pnpm bench
\`\`\`

which runs \`node --conditions=@openai-integration/source src/main.ts\` in \`tools/bench\` and
rewrites this file. \`pnpm --filter @openai-integration/bench start -- --quick\` checks that
everything works in well under a minute and prints its (meaningless) numbers without
touching this file. \`pnpm bench -- --cases rate-limit\` (any of \`throughput\`, \`stream\`, \`circuit\`, \`memory\`, \`import\`, \`rate-limit\`,
separated by commas) runs only those cases and replaces only their sections here.`,
  );

  return sections;
}

const failureText = (failures: Readonly<Record<string, number>>): string => {
  const entries = Object.entries(failures);
  return entries.length === 0
    ? 'none'
    : entries.map(([kind, count]) => `${count.toLocaleString('en-US')} ${kind}`).join(', ');
};

/** The section of the rate-limit case: what each client got out of a server enforcing each limit. */
function renderRateLimited(results: BenchResults, rows: readonly RateLimitRow[]): string {
  const { rateLimit: plan } = results.plan;
  const seconds = (plan.durationMs / 1_000).toFixed(0);
  const tables = plan.limits.map((limit) => {
    const limitRows = rows.filter((row) => row.limit.binding === limit.binding);
    const allowed = limitRows[0]?.allowed ?? 0;
    const perMinute =
      limit.binding === 'requests'
        ? `${limit.requestsPerMinute.toLocaleString('en-US')} requests per minute`
        : `${limit.tokensPerMinute.toLocaleString('en-US')} tokens per minute (${fixed(limitRows[0]?.tokensPerSuccess ?? Number.NaN, 0)} tokens a call)`;
    return `### ${limit.binding === 'requests' ? 'Requests' : 'Tokens'} per minute enforced: ${perMinute}, at most ${allowed.toLocaleString('en-US')} successes in ${seconds} s

${table(
  [
    'client',
    'successes',
    'of allowed',
    'requests sent',
    'answered 429',
    'refused by the client',
    'other failures',
    'p50 ms',
    'p99 ms',
    'client CPU, s',
  ],
  limitRows.map((row) => [
    row.contender === 'operations'
      ? `**${contenderLabels.operations}** (defaults)`
      : `${contenderLabels.openai} (its default 2 retries)`,
    whole(row.successes),
    fixed(row.fractionOfAllowed, 3),
    whole(row.requests),
    `${whole(row.rateLimited)} (${fixed(row.rateLimitedShare * 100, 1)}%)`,
    whole(row.refusals),
    failureText(row.failures),
    fixed(row.p50Ms, 0),
    fixed(row.p99Ms, 0),
    fixed(row.cpuMs / 1_000, 1),
  ]),
)}`;
  });
  const checks = rateLimitTargets(rows);
  return `## Pacing under a rate limit

The testkit simulator enforcing a rate limit as OpenAI does (a request bucket and a
token bucket per key that start full and refill continuously over a minute; headers
with the limit, what remains and the time until the bucket is full; a 429 with
\`retry-after-ms\` when a call does not fit), a fresh one for each run. One client
process calls \`chat.create\` in a loop from ${plan.concurrency} callers for ${seconds} s, default options; when the time
is up, calls still waiting are aborted and not counted. A call the client refuses with
a retry hint is followed by a sleep on that hint; the bare SDK's callers call again at
once after a failure (its own retries have waited). "Of allowed": successes over what
the limit let through in the run, the full bucket plus its refill. Latency is that of
the successful calls, waits for the budget included. Run of ${results.startedAt}, 1-minute load average ${fixed(results.machine.loadAverage, 2)} at
the start of the run and ${fixed(results.loadAverageAtEnd, 2)} at its end.

${tables.join('\n\n')}

${table(
  ['target (operations)', 'threshold', 'measured', 'met'],
  checks.map((check) => [check.target, check.threshold, check.measured, check.met ? 'yes' : '**no**']),
)}`;
}
