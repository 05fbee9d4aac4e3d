import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseBenchArgs } from './cli/parse-bench-args.ts';
import { analyzeResults } from './report/analyze-results.ts';
import { mergeSections, sectionsOf, standaloneMarkers } from './report/merge-sections.ts';
import { renderMarkdown, renderSections } from './report/render-markdown.ts';
import { caseNames, fullPlan, quickPlan } from './run/bench-plan.ts';
import { runBench } from './run/run-bench.ts';

const help = `Usage: pnpm bench [-- [--quick] [--cases LIST] [--out FILE] [--json FILE]]

Measures what the integration costs per call, side by side with bare fetch, the bare
openai SDK, the Vercel AI SDK and LangChain.js, against a raw node:http server and
the testkit simulator on 127.0.0.1: chat throughput (concurrency 1 and 64), latency
per call, a 1,000-chunk stream, failing fast with the circuit open, memory over
100,000 calls, cold import times, and pacing against a simulator that enforces a
rate limit (beside the bare SDK). Prints the results as markdown and writes them to
BENCHMARKS.md at the repository root. Takes about ten minutes on 2 cores.

Options:
  --quick       a handful of iterations per case (well under a minute); prints only,
                never writes BENCHMARKS.md
  --cases LIST  only these cases, separated by commas (${caseNames.join(', ')});
                their sections replace the same sections of the page written
  --out FILE    write the markdown here instead
  --json FILE   also write the raw measurements and their analysis as JSON
  --help        this text
`;

const defaultOut = fileURLToPath(new URL('../../../BENCHMARKS.md', import.meta.url));
const parsed = parseBenchArgs(process.argv.slice(2), { defaultOut, cwd: process.env['INIT_CWD'] ?? process.cwd() });
if (parsed.isErr()) {
  process.stderr.write(`${parsed.error}\n\n${help}`);
  process.exit(2);
}
const args = parsed.value;
if (args.help) {
  process.stdout.write(help);
  process.exit(0);
}

const results = await runBench(
  args.quick ? quickPlan : fullPlan,
  (line) => {
    process.stderr.write(`[bench] ${line}\n`);
  },
  args.cases,
);
const analysis = analyzeResults(results);
const everyCase = caseNames.every((name) => args.cases.includes(name));
// A run of some cases gives their sections only; in a page that exists, they replace the same sections.
const sections = everyCase ? [] : renderSections(results, analysis).filter((section) => section.case !== null);
const markdown = everyCase
  ? renderMarkdown(results, analysis)
  : `${sections.map((section) => section.markdown).join('\n\n')}\n`;
process.stdout.write(markdown);
if (args.out !== undefined) {
  const earlier = await readFile(args.out, 'utf8').catch(() => undefined);
  // A full run renders the page anew, keeping the sections other scripts wrote into it.
  const page =
    earlier === undefined
      ? markdown
      : everyCase
        ? mergeSections(markdown, sectionsOf(earlier, standaloneMarkers))
        : mergeSections(earlier, sections);
  await writeFile(args.out, page);
  process.stderr.write(
    `[bench] wrote ${args.out}${earlier === undefined || everyCase ? '' : ` (the sections of ${args.cases.join(', ')})`}\n`,
  );
}
if (args.json !== undefined) {
  await writeFile(args.json, `${JSON.stringify({ results, analysis }, null, 2)}\n`);
  process.stderr.write(`[bench] wrote ${args.json}\n`);
}
process.stderr.write(`[bench] done in ${(results.elapsedMs / 1_000).toFixed(0)} s\n`);
