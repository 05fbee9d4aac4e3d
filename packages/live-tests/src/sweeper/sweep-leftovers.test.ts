import { createError, type IntegrationError } from '@openai-integration/core';
import { err, ok, type Result } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { sweepLeftovers, type SweepableFile, type SweepTarget } from './sweep-leftovers.ts';

const now = Date.UTC(2026, 10, 24, 12, 0, 0);
const seconds = (ms: number): number => Math.floor(ms / 1_000);
const thisRun = '20261124114500abcd';
const otherRun = '20261124115000wxyz';

const apiError = (
  tag: 'NotFoundError' | 'InternalServerError' | 'PermissionDeniedError',
  status: number,
): IntegrationError =>
  createError(tag, {
    message: `HTTP ${status}`,
    status,
    code: null,
    type: null,
    param: null,
    requestId: null,
    retryAfterMs: null,
    rateLimit: null,
  });

function fakeTarget(
  files: readonly SweepableFile[],
  options: { readonly failDelete?: Readonly<Record<string, IntegrationError>>; readonly listFailsAfter?: number } = {},
) {
  const deleted: string[] = [];
  const target: SweepTarget = {
    async *listFiles() {
      for (const [index, file] of files.entries()) {
        await Promise.resolve();
        if (options.listFailsAfter === index) {
          yield err(apiError('InternalServerError', 500));
          return;
        }
        yield ok(file);
      }
    },
    deleteFile: (fileId) => {
      const failure = options.failDelete?.[fileId];
      if (failure !== undefined) return Promise.resolve<Result<unknown, IntegrationError>>(err(failure));
      deleted.push(fileId);
      return Promise.resolve(ok({ id: fileId, deleted: true }));
    },
  };
  return { target, deleted };
}

const file = (id: string, filename: string, ageMs: number): SweepableFile => ({
  id,
  filename,
  createdAt: seconds(now - ageMs),
});

describe('sweepLeftovers', () => {
  const files = [
    file('file-mine-new', `oi-live-${thisRun}-files.jsonl`, 60_000),
    file('file-other-new', `oi-live-${otherRun}-files.jsonl`, 10 * 60_000),
    file('file-other-old', `oi-live-${otherRun}-files.jsonl`, 2 * 3_600_000),
    file('file-unparsable-old', 'oi-live-leftover.jsonl', 3_600_000),
    file('file-user', 'training-data.jsonl', 48 * 3_600_000),
  ];

  it("deletes this run's files and other runs' files older than an hour, and never a file without the prefix", async () => {
    const { target, deleted } = fakeTarget(files);
    const report = await sweepLeftovers(target, { now, runId: thisRun });
    expect(deleted).toEqual(['file-mine-new', 'file-other-old', 'file-unparsable-old']);
    expect(report.deleted.map((entry) => entry.id)).toEqual(deleted);
    expect(report.kept.map((entry) => entry.id)).toEqual(['file-other-new']);
    expect(report).toMatchObject({ failed: [], listError: null, dryRun: false });
  });

  it('without a run id, deletes only what is older than the maximum age', async () => {
    const { target, deleted } = fakeTarget(files);
    const report = await sweepLeftovers(target, { now, maxAgeMs: 5 * 60_000 });
    expect(deleted).toEqual(['file-other-new', 'file-other-old', 'file-unparsable-old']);
    expect(report.kept.map((entry) => entry.id)).toEqual(['file-mine-new']);
  });

  it('deletes nothing in a dry run but reports what it would delete', async () => {
    const { target, deleted } = fakeTarget(files);
    const report = await sweepLeftovers(target, { now, runId: thisRun, dryRun: true });
    expect(deleted).toEqual([]);
    expect(report.dryRun).toBe(true);
    expect(report.deleted.map((entry) => entry.id)).toEqual(['file-mine-new', 'file-other-old', 'file-unparsable-old']);
  });

  it('counts a file that is already gone as deleted, and reports other failed deletions', async () => {
    const forbidden = apiError('PermissionDeniedError', 403);
    const { target } = fakeTarget(files, {
      failDelete: { 'file-mine-new': apiError('NotFoundError', 404), 'file-other-old': forbidden },
    });
    const report = await sweepLeftovers(target, { now, runId: thisRun });
    expect(report.deleted.map((entry) => entry.id)).toEqual(['file-mine-new', 'file-unparsable-old']);
    expect(report.failed).toEqual([{ file: files[2], error: forbidden }]);
  });

  it('sweeps what was listed before the listing failed, and reports the failure', async () => {
    const { target, deleted } = fakeTarget(files, { listFailsAfter: 2 });
    const report = await sweepLeftovers(target, { now, runId: thisRun });
    expect(deleted).toEqual(['file-mine-new']);
    expect(report.listError?._tag).toBe('InternalServerError');
  });
});
