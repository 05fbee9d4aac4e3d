import { ok } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../src/polling/poll-until.ts';
import { nameFor, suite, suiteOperations, useCleanup } from './support/live-suite.ts';

/** One valid Batch API request line: the API checks only the file name at upload, but a valid line keeps the file usable. */
const batchLine = (model: string): string =>
  `${JSON.stringify({ custom_id: 'oi-live-1', method: 'POST', url: '/v1/chat/completions', body: { model, messages: [{ role: 'user', content: 'ping' }], max_completion_tokens: 16 } })}\n`;

describe('files', () => {
  it('uploads a file, finds it in the list, downloads the same bytes, and deletes it', async () => {
    const operations = suiteOperations();
    const cleanup = useCleanup();
    const filename = nameFor('files-roundtrip.jsonl');
    const content = batchLine(suite.chatModel);

    // expires_after is a second safety net: the server drops the file after an hour whatever happens here.
    const uploaded = await operations.files.upload({
      file: new TextEncoder().encode(content),
      purpose: 'batch',
      filename,
      expiresAfterSeconds: 3_600,
    });
    expect(uploaded.isOk()).toBe(true);
    const file = uploaded._unsafeUnwrap().value;
    const release = cleanup.defer(`delete ${file.id}`, async () => {
      const deleted = await operations.files.delete(file.id);
      return deleted.isErr() && deleted.error._tag === 'NotFoundError' ? ok(undefined) : deleted;
    });
    expect(file).toMatchObject({ filename, purpose: 'batch', bytes: new TextEncoder().encode(content).byteLength });

    // The list is eventually consistent: a new file may take a moment to appear.
    const listed = await pollUntil(
      async () => {
        const found = await operations.files
          .list({ purpose: 'batch', where: (candidate) => candidate.id === file.id }, { maxPages: 5 })
          .take(1);
        return found.map((slice) => slice.items[0]);
      },
      { what: `${file.id} in the files list`, attempts: 10, delayMs: 1_000 },
    );
    expect(listed.isOk()).toBe(true);
    expect(listed._unsafeUnwrap().filename).toBe(filename);

    const downloaded = await operations.files.downloadText(file.id);
    expect(downloaded.isOk()).toBe(true);
    expect(downloaded._unsafeUnwrap().value).toBe(content);

    const deleted = await operations.files.delete(file.id);
    expect(deleted.isOk()).toBe(true);
    expect(deleted._unsafeUnwrap().value).toEqual({ id: file.id, deleted: true });
    release();
  });
});
