import type { FileOperations } from '@openai-integration/operations';
import { err, ok } from 'neverthrow';
import { livePrefix } from '../naming/live-name.ts';
import type { SweepTarget } from './sweep-leftovers.ts';

/**
 * Adapts the integration's file operations to the sweeper: lists the files (every
 * page, through the transport) keeping those whose name starts with `oi-live-`, and
 * deletes by id.
 *
 * @example
 * const report = await sweepLeftovers(createFilesSweepTarget(operations.files), { now: Date.now(), runId });
 */
export function createFilesSweepTarget(files: Pick<FileOperations, 'list' | 'delete'>): SweepTarget {
  return {
    async *listFiles() {
      for await (const listed of files.list({ where: (file) => file.filename.startsWith(livePrefix) })) {
        if (listed.isErr()) {
          yield err(listed.error);
          return;
        }
        const { id, filename, created_at: createdAt } = listed.value;
        yield ok({ id, filename, createdAt });
      }
    },
    deleteFile: async (fileId) => files.delete(fileId),
  };
}
