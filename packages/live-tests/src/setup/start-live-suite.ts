import { createError, type IntegrationError } from '@openai-integration/core';
import { createOpenAISimulator, type OpenAISimulator, type OpenAISimulatorOptions } from '@openai-integration/testkit';
import { err, ok, type Result } from 'neverthrow';
import { createBanner, forcedRehearsalHeadline, rehearsalHeadline } from '../banner/create-banner.ts';
import { selectLiveMode, type SelectLiveModeOptions } from '../mode/select-live-mode.ts';
import { createRunId } from '../naming/create-run-id.ts';
import { livePrefix } from '../naming/live-name.ts';
import { createFilesSweepTarget } from '../sweeper/create-files-sweep-target.ts';
import { sweepLeftovers, type SweepReport } from '../sweeper/sweep-leftovers.ts';
import { createSuiteOperations } from './create-suite-operations.ts';
import { isOpenAIEndpoint, rehearsalApiKey, type LiveSuiteContext } from './live-suite-context.ts';

/** What {@link startLiveSuite} reads and where it writes; everything is injectable. */
export interface StartLiveSuiteOptions extends SelectLiveModeOptions {
  /** Where the banner and the sweep summary go. Default: standard output. */
  readonly write?: (text: string) => void;
  /** The clock, in epoch ms (run id, sweeper ages). Default `Date.now`. */
  readonly now?: () => number;
  /** Randomness of the run id. Default `Math.random`. */
  readonly random?: () => number;
  /** Starts the simulator for a rehearsal. Default: the testkit's loopback simulator. */
  readonly startSimulator?: (options: OpenAISimulatorOptions) => Promise<OpenAISimulator>;
}

/** A started suite: the context for the scenarios, and its teardown. */
export interface LiveSuite {
  readonly context: LiveSuiteContext;
  /**
   * Sweeps this run's leftovers and those older than an hour, writes a one-line
   * summary (which repeats, in rehearsal, that nothing was sent to OpenAI), and
   * stops the simulator. Never rejects; returns the sweep's report, or
   * null when the sweep could not start.
   */
  teardown(): Promise<SweepReport | null>;
}

/** Options of the rehearsal simulator: the suite's key only, short replies, a fixed seed. */
const simulatorOptions: OpenAISimulatorOptions = {
  seed: 20_261_124,
  apiKey: rehearsalApiKey,
  replyTokens: { min: 3, max: 10 },
};

function summary(context: LiveSuiteContext, report: SweepReport): string {
  const where = context.mode === 'live' ? context.baseUrl : 'the simulator';
  const parts = [`swept ${report.deleted.length} file(s) named ${livePrefix}* from ${where}`];
  if (report.kept.length > 0) parts.push(`kept ${report.kept.length} of other runs younger than an hour`);
  if (report.failed.length > 0)
    parts.push(`FAILED to delete ${report.failed.map((entry) => `${entry.file.id} (${entry.error._tag})`).join(', ')}`);
  if (report.listError !== null)
    parts.push(`listing stopped early: ${report.listError._tag}: ${report.listError.message}`);
  // Said again at the end, where a long log is read first.
  const reminder = context.mode === 'rehearsal' ? ' (REHEARSAL MODE: nothing was sent to OpenAI)' : '';
  return `live suite ${context.runId}${reminder}: ${parts.join('; ')}\n`;
}

/**
 * Starts a run of the live suite (the vitest global setup calls it): chooses the mode
 * (see `selectLiveMode`), creates the run id, starts the simulator for a rehearsal,
 * and shows the mode banner once. In rehearsal the banner's first line is
 * "REHEARSAL MODE: no OPENAI_API_KEY, running against the local simulator; nothing
 * was sent to OpenAI"; live, it names the endpoint and the models.
 *
 * Fails with: `ConfigError` (see `selectLiveMode`), `ConnectionError` (the simulator
 * could not listen on loopback).
 *
 * @example
 * const suite = await startLiveSuite();
 * if (suite.isErr()) throw new Error(suite.error.message);
 * project.provide('liveSuite', suite.value.context);
 * return () => suite.value.teardown();
 */
export async function startLiveSuite(
  options: StartLiveSuiteOptions = {},
): Promise<Result<LiveSuite, IntegrationError>> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const now = options.now ?? Date.now;
  const mode = selectLiveMode(options);
  if (mode.isErr()) return err(mode.error);
  const runId = createRunId({ now: now(), ...(options.random === undefined ? {} : { random: options.random }) });
  const { chatModel, embeddingModel } = mode.value;
  const banner = createBanner(write);
  let simulator: OpenAISimulator | null = null;
  let context: LiveSuiteContext;

  if (mode.value.kind === 'rehearsal') {
    try {
      simulator = await (options.startSimulator ?? createOpenAISimulator)(simulatorOptions);
    } catch (thrown) {
      const code =
        typeof thrown === 'object' && thrown !== null && typeof (thrown as { code?: unknown }).code === 'string'
          ? (thrown as { code: string }).code
          : null;
      return err(
        createError('ConnectionError', {
          message: `the simulator could not listen on loopback${code === null ? '' : ` (${code})`}`,
          code,
          cause: thrown,
        }),
      );
    }
    context = {
      mode: 'rehearsal',
      baseUrl: simulator.baseURL,
      runId,
      chatModel,
      embeddingModel,
      expectRateLimitHeaders: true,
    };
    banner.show([
      mode.value.forced ? forcedRehearsalHeadline : rehearsalHeadline,
      `Simulator: ${simulator.baseURL} (models ${chatModel} and ${embeddingModel}); run id ${runId}.`,
      ...mode.value.notes.map((note) => `Note: ${note}`),
      'Set OPENAI_API_KEY (in the environment or in .env at the repository root) to run the same scenarios against the real API.',
    ]);
  } else {
    const { baseUrl } = mode.value.config;
    const expectRateLimitHeaders = isOpenAIEndpoint(baseUrl);
    context = { mode: 'live', baseUrl, runId, chatModel, embeddingModel, expectRateLimitHeaders };
    banner.show([
      `LIVE MODE: calling ${baseUrl} with ${chatModel} and ${embeddingModel} (tiny token limits; a run costs a fraction of a cent).`,
      `Run id ${runId}: everything created is named ${livePrefix}${runId}-* and removed at the end.`,
      ...(expectRateLimitHeaders
        ? []
        : [
            'This endpoint is not api.openai.com: the rate-limit header check is skipped (many proxies and Azure leave the headers out).',
          ]),
    ]);
  }

  const suiteContext = context;
  return ok({
    context: suiteContext,
    async teardown() {
      try {
        const operations = createSuiteOperations(suiteContext, options);
        if (operations.isErr()) {
          write(`live suite ${runId}: the sweep could not start: ${operations.error.message}\n`);
          return null;
        }
        const report = await sweepLeftovers(createFilesSweepTarget(operations.value.files), { now: now(), runId });
        write(summary(suiteContext, report));
        return report;
      } finally {
        await simulator?.close();
      }
    },
  });
}
