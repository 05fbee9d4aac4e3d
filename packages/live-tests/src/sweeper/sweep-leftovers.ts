import type { IntegrationError } from '@openai-integration/core';
import type { Result } from 'neverthrow';
import { livePrefix, parseLiveName } from '../naming/live-name.ts';

/** A file on the server, as the sweeper sees it. */
export interface SweepableFile {
  readonly id: string;
  readonly filename: string;
  /** When it was created, in Unix seconds (as the API sends `created_at`). */
  readonly createdAt: number;
}

/** Where the sweeper lists and deletes files (see `createFilesSweepTarget`). */
export interface SweepTarget {
  /** Every file of the account or project; a failure is the last value. */
  listFiles(): AsyncIterable<Result<SweepableFile, IntegrationError>>;
  deleteFile(fileId: string): Promise<Result<unknown, IntegrationError>>;
}

/** What {@link sweepLeftovers} removes. */
export interface SweepOptions {
  /** The current time in epoch milliseconds. */
  readonly now: number;
  /** The run in progress: its files are removed whatever their age. Default: none. */
  readonly runId?: string | null;
  /** Files of other runs are removed once they are this old, in ms. Default 3600000 (one hour). */
  readonly maxAgeMs?: number;
  /** List and decide, but delete nothing. Default false. */
  readonly dryRun?: boolean;
}

/** What a sweep did. */
export interface SweepReport {
  /** Files removed (or, in a dry run, that would be). A file already gone counts as removed. */
  readonly deleted: readonly SweepableFile[];
  /** Files with the live prefix left alone: another run's, younger than `maxAgeMs`. */
  readonly kept: readonly SweepableFile[];
  /** Files whose deletion failed, with the error. */
  readonly failed: readonly { readonly file: SweepableFile; readonly error: IntegrationError }[];
  /** The error that ended the listing early, if any (what was listed before it is still swept). */
  readonly listError: IntegrationError | null;
  readonly dryRun: boolean;
}

/** The default age after which another run's files are removed: one hour. */
export const defaultSweepMaxAgeMs = 3_600_000;

/**
 * Removes what live runs left behind: lists the files and deletes each one whose name
 * starts with `oi-live-` and that either belongs to `runId` (this run) or is older
 * than `maxAgeMs` (a run that died before its cleanup). Files of another run younger
 * than that are kept, so that two runs at once never delete each other's files.
 * Files without the prefix are never touched.
 *
 * The whole list is read before anything is deleted. Never rejects: a listing that
 * fails part way, and deletions that fail, are in the report.
 *
 * @example
 * const report = await sweepLeftovers(createFilesSweepTarget(operations), { now: Date.now(), runId });
 * console.log(`${report.deleted.length} leftovers removed`);
 */
export async function sweepLeftovers(target: SweepTarget, options: SweepOptions): Promise<SweepReport> {
  const maxAgeMs = options.maxAgeMs ?? defaultSweepMaxAgeMs;
  const dryRun = options.dryRun ?? false;
  const runId = options.runId ?? null;
  const chosen: SweepableFile[] = [];
  const kept: SweepableFile[] = [];
  let listError: IntegrationError | null = null;
  for await (const listed of target.listFiles()) {
    if (listed.isErr()) {
      listError = listed.error;
      break;
    }
    const file = listed.value;
    if (!file.filename.startsWith(livePrefix)) continue;
    const ours = runId !== null && parseLiveName(file.filename)?.runId === runId;
    const old = options.now - file.createdAt * 1_000 >= maxAgeMs;
    (ours || old ? chosen : kept).push(file);
  }
  const deleted: SweepableFile[] = [];
  const failed: { file: SweepableFile; error: IntegrationError }[] = [];
  for (const file of chosen) {
    if (dryRun) {
      deleted.push(file);
      continue;
    }
    const outcome = await target.deleteFile(file.id);
    if (outcome.isOk() || outcome.error._tag === 'NotFoundError') deleted.push(file);
    else failed.push({ file, error: outcome.error });
  }
  return { deleted, kept, failed, listError, dryRun };
}
