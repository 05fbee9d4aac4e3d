import type { IntegrationConfig, IntegrationError } from '@openai-integration/core';
import { createOperations, type Operations } from '@openai-integration/operations';
import { ok, type Result } from 'neverthrow';
import { parseArgs } from 'node:util';
import { selectLiveMode, type SelectLiveModeOptions } from '../mode/select-live-mode.ts';
import { isRunId } from '../naming/create-run-id.ts';
import { livePrefix } from '../naming/live-name.ts';
import { createFilesSweepTarget } from './create-files-sweep-target.ts';
import { defaultSweepMaxAgeMs, sweepLeftovers } from './sweep-leftovers.ts';

/** Where the command writes (one line per call). */
export interface SweepCommandIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

/** Surroundings of the command, injectable for tests. */
export interface SweepCommandOptions extends SelectLiveModeOptions {
  /** The clock in epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

/** The help text of the sweep command. */
export const sweepUsage = `Usage: pnpm --filter @openai-integration/live-tests sweep [-- options]

Deletes the files that live runs left on the configured endpoint: names starting
with ${livePrefix}, older than an hour (or of the run given with --run). Other
files are never touched. Reads OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_ORG_ID and
OPENAI_PROJECT_ID from the environment or .env at the repository root.

Options:
  --dry-run                 list what would be deleted, delete nothing
  --max-age-minutes <n>     age from which another run's files go (default ${defaultSweepMaxAgeMs / 60_000})
  --run <run id>            also delete that run's files, whatever their age
  -h, --help                this text`;

/**
 * Runs the `sweep` command and returns its exit code: 0 when every leftover was
 * removed (or there was nothing to do, e.g. no key), 1 when a deletion or the
 * listing failed, 2 for bad arguments or configuration. A leading `--` (which pnpm
 * passes through from `pnpm sweep -- --dry-run`) is ignored. Never throws.
 */
export async function runSweepCommand(
  argv: readonly string[],
  io: SweepCommandIo,
  options: SweepCommandOptions = {},
): Promise<number> {
  let values: {
    readonly 'dry-run'?: boolean;
    readonly 'max-age-minutes'?: string;
    readonly run?: string;
    readonly help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      // `pnpm sweep -- --dry-run` passes the `--` through: a leading one is only a separator.
      args: argv[0] === '--' ? argv.slice(1) : [...argv],
      options: {
        'dry-run': { type: 'boolean' },
        'max-age-minutes': { type: 'string' },
        run: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (thrown) {
    io.stderr(`${thrown instanceof Error ? thrown.message : String(thrown)}\n\n${sweepUsage}`);
    return 2;
  }
  if (values.help === true) {
    io.stdout(sweepUsage);
    return 0;
  }
  const minutes =
    values['max-age-minutes'] === undefined ? defaultSweepMaxAgeMs / 60_000 : Number(values['max-age-minutes']);
  if (!Number.isFinite(minutes) || minutes < 0) {
    io.stderr(
      `--max-age-minutes needs a number of minutes (0 or more), got '${values['max-age-minutes'] ?? ''}'\n\n${sweepUsage}`,
    );
    return 2;
  }
  if (values.run !== undefined && !isRunId(values.run)) {
    io.stderr(`--run needs a run id such as 20261124103600k3f9, got '${values.run}'\n\n${sweepUsage}`);
    return 2;
  }
  // The sweep is for the real endpoint: a rehearsal flag does not apply to it.
  const env = { ...(options.env ?? process.env), LIVE_TESTS_REHEARSAL: undefined };
  const selected = selectLiveMode({ ...options, env }).andThen(
    (mode): Result<{ readonly config: IntegrationConfig; readonly operations: Operations } | null, IntegrationError> =>
      mode.kind === 'rehearsal'
        ? ok(null)
        : createOperations({ config: mode.config }).map((operations) => ({ config: mode.config, operations })),
  );
  if (selected.isErr()) {
    io.stderr(`configuration: ${selected.error.message}`);
    return 2;
  }
  if (selected.value === null) {
    io.stdout('No OPENAI_API_KEY is configured: nothing to sweep (a rehearsal creates nothing on a real endpoint).');
    return 0;
  }
  const { config, operations } = selected.value;
  const dryRun = values['dry-run'] === true;
  const report = await sweepLeftovers(createFilesSweepTarget(operations.files), {
    now: (options.now ?? Date.now)(),
    runId: values.run ?? null,
    maxAgeMs: minutes * 60_000,
    dryRun,
  });
  const verb = dryRun ? 'would delete' : 'deleted';
  for (const file of report.deleted)
    io.stdout(`${verb} ${file.id} ${file.filename} (created ${new Date(file.createdAt * 1_000).toISOString()})`);
  for (const { file, error } of report.failed)
    io.stderr(`failed to delete ${file.id} ${file.filename}: ${error._tag}: ${error.message}`);
  if (report.listError !== null)
    io.stderr(`the listing stopped early: ${report.listError._tag}: ${report.listError.message}`);
  io.stdout(
    `${config.baseUrl}: ${verb} ${report.deleted.length}, kept ${report.kept.length} younger than ${minutes} min, failed ${report.failed.length}.`,
  );
  return report.failed.length > 0 || report.listError !== null ? 1 : 0;
}
