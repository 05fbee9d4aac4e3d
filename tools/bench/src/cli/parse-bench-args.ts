import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { err, ok, type Result } from 'neverthrow';
import { caseNames, type CaseName } from '../run/bench-plan.ts';

/** What the command line asked for. */
export interface BenchArgs {
  readonly help: boolean;
  readonly quick: boolean;
  /** Where to write the markdown; undefined for stdout only. */
  readonly out: string | undefined;
  /** Where to write the raw measurements as JSON, if anywhere. */
  readonly json: string | undefined;
  /** The cases to run (every case unless `--cases` names some), in run order. */
  readonly cases: readonly CaseName[];
}

const isCaseName = (name: string): name is CaseName => (caseNames as readonly string[]).includes(name);

/**
 * Reads the benchmark's command line. A full run writes `defaultOut` (the repository's
 * BENCHMARKS.md) unless `--out` says otherwise; a `--quick` run prints only, or writes
 * `--out`, and may never write `defaultOut`, whose numbers must come from a full run.
 * `--cases a,b` limits the run to those cases (their sections then replace the same
 * sections of the page written). Relative paths are taken from `cwd`. A leading `--`
 * (which `pnpm bench -- --quick` passes through) is skipped.
 *
 * Fails with: a message for an unknown option or case, a missing value, or a quick run aimed at `defaultOut`.
 */
export function parseBenchArgs(
  argv: readonly string[],
  options: { readonly defaultOut: string; readonly cwd: string },
): Result<BenchArgs, string> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv[0] === '--' ? argv.slice(1) : [...argv],
      options: {
        quick: { type: 'boolean' },
        out: { type: 'string' },
        json: { type: 'string' },
        cases: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    return err(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  const quick = values.quick === true;
  const out = values.out === undefined ? (quick ? undefined : options.defaultOut) : resolve(options.cwd, values.out);
  if (quick && out === resolve(options.defaultOut))
    return err(`--quick never writes ${options.defaultOut}: its numbers must come from a full run`);
  let cases = caseNames;
  if (values.cases !== undefined) {
    const named = values.cases
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
    const unknown = named.filter((name) => !isCaseName(name));
    if (named.length === 0 || unknown.length > 0) {
      return err(
        `--cases takes case names separated by commas (${caseNames.join(', ')}); got ${JSON.stringify(values.cases.slice(0, 200))}`,
      );
    }
    cases = caseNames.filter((name) => named.includes(name));
  }
  return ok({
    help: values.help === true,
    quick,
    out,
    json: values.json === undefined ? undefined : resolve(options.cwd, values.json),
    cases,
  });
}
