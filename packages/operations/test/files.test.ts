import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileUpload } from '../src/index.ts';
import { createHarness, type Harness } from './support/harness.ts';

let harness: Harness | undefined;
let folder: string | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  folder = undefined;
});

async function start(options: Parameters<typeof createHarness>[0] = {}): Promise<Harness> {
  harness = await createHarness(options);
  return harness;
}

const text = '{"custom_id":"a"}\n{"custom_id":"b"}\n';
const bytes = new TextEncoder().encode(text);

describe('files', () => {
  it('uploads, lists, retrieves, downloads and deletes a file', async () => {
    const { operations, simulator } = await start();
    const uploaded = (
      await operations.files.upload({ file: Buffer.from(text), purpose: 'user_data', filename: 'notes.jsonl' })
    )._unsafeUnwrap();
    expect(uploaded.value).toMatchObject({
      filename: 'notes.jsonl',
      purpose: 'user_data',
      bytes: bytes.byteLength,
      id: expect.stringMatching(/^file-/) as unknown,
    });
    expect(uploaded.meta).toMatchObject({ operation: 'files.upload', attempts: 1 });
    expect(simulator.requests[0]?.body).toMatchObject({
      fields: { purpose: 'user_data' },
      files: [{ field: 'file', filename: 'notes.jsonl', bytes: bytes.byteLength }],
    });
    const id = uploaded.value.id;

    const listed = (await operations.files.list({ purpose: 'user_data' }).all())._unsafeUnwrap();
    expect(listed.items.map((file) => file.id)).toEqual([id]);
    expect((await operations.files.retrieve(id))._unsafeUnwrap().value.filename).toBe('notes.jsonl');
    expect((await operations.files.downloadText(id))._unsafeUnwrap().value).toBe(text);
    expect((await operations.files.downloadBytes(id))._unsafeUnwrap().value).toEqual(bytes);

    expect((await operations.files.delete(id))._unsafeUnwrap().value).toEqual({ id, deleted: true });
    expect((await operations.files.retrieve(id))._unsafeUnwrapErr()).toMatchObject({
      _tag: 'NotFoundError',
      status: 404,
    });
    expect((await operations.files.list().all())._unsafeUnwrap().items).toHaveLength(0);
  });

  it('uploads from a path, a Node stream, a web stream and a Blob', async () => {
    const { operations } = await start();
    folder = await mkdtemp(join(tmpdir(), 'operations-files-'));
    const path = join(folder, 'requests.jsonl');
    await writeFile(path, text);
    const sources: readonly FileUpload[] = [
      { file: { path }, purpose: 'batch' },
      {
        file: Readable.from([Buffer.from('{"custom_id":'), Buffer.from('"a"}\n{"custom_id":"b"}\n')]),
        purpose: 'batch',
      },
      { file: new Blob([bytes]).stream(), purpose: 'fine-tune' },
      { file: new Blob([bytes]), purpose: 'assistants', filename: 'blob.txt' },
      { file: bytes.buffer, purpose: 'vision', filename: 'raw.bin' },
    ];
    const names: string[] = [];
    for (const source of sources) {
      const uploaded = (await operations.files.upload(source))._unsafeUnwrap().value;
      names.push(uploaded.filename);
      expect((await operations.files.downloadText(uploaded.id))._unsafeUnwrap().value).toBe(text);
    }
    expect(names).toEqual(['requests.jsonl', 'upload.jsonl', 'upload.jsonl', 'blob.txt', 'raw.bin']);
  });

  it('reads a stream once, so that a retried upload sends the same bytes', async () => {
    const { operations, simulator } = await start();
    simulator.enqueue('files.create', { type: 'status', status: 500 });
    const uploaded = (await operations.files.upload({ file: Readable.from([text]), purpose: 'batch' }))._unsafeUnwrap();
    expect(uploaded.meta.attempts).toBe(2);
    const sent = simulator.requests
      .filter((request) => request.operation === 'files.create')
      .map((request) => (request.body as { files: { bytes: number }[] }).files[0]?.bytes);
    expect(sent).toEqual([bytes.byteLength, bytes.byteLength]);
  });

  it('reads a web stream without async iteration through its reader', async () => {
    const { operations } = await start();
    const stream = new Blob([bytes]).stream();
    const readerOnly = { getReader: () => stream.getReader() } as unknown as ReadableStream<Uint8Array>;
    const uploaded = (await operations.files.upload({ file: readerOnly, purpose: 'user_data' }))._unsafeUnwrap();
    expect(uploaded.value).toMatchObject({ filename: 'upload', bytes: bytes.byteLength });
  });

  it('rejects a bad upload before any request, naming the field', async () => {
    const { operations, simulator } = await start();
    const failure = async (upload: FileUpload) => (await operations.files.upload(upload))._unsafeUnwrapErr();
    expect(await failure({ file: bytes, purpose: 'pets' as 'batch' })).toMatchObject({
      _tag: 'ValidationError',
      issues: [{ path: 'purpose' }],
    });
    expect(await failure({ file: bytes, purpose: 'batch', filename: 'data.csv' })).toMatchObject({
      issues: [{ path: 'filename' }],
    });
    expect(await failure({ file: bytes, purpose: 'user_data', filename: '../x' })).toMatchObject({
      issues: [{ path: 'filename' }],
    });
    expect(await failure({ file: bytes, purpose: 'user_data', expiresAfterSeconds: 60 })).toMatchObject({
      issues: [{ path: 'expiresAfterSeconds' }],
    });
    expect(await failure({ file: 'inline text' as unknown as Uint8Array, purpose: 'user_data' })).toMatchObject({
      issues: [{ path: 'file' }],
    });
    expect(await failure({ file: { path: '' }, purpose: 'user_data' })).toMatchObject({
      issues: [{ path: 'file.path' }],
    });
    expect(await failure({ file: { path: '/' }, purpose: 'user_data' })).toMatchObject({
      issues: [{ path: 'filename' }],
    });
    expect(
      (await failure({ file: bytes, purpose: 'batch', filename: 'a.csv', expiresAfterSeconds: 1 })).message,
    ).toMatch(/^invalid arguments filename: .*; expiresAfterSeconds: /);
    const throwing = (async function* () {
      await Promise.resolve();
      yield 'start';
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- a stream may fail with anything
      throw 'plain text failure';
    })();
    expect(await failure({ file: throwing, purpose: 'user_data' })).toMatchObject({
      message: expect.stringMatching(/plain text failure/) as unknown,
    });
    expect(await failure({ file: { path: '/no/such/file.jsonl' }, purpose: 'batch' })).toMatchObject({
      _tag: 'ValidationError',
      issues: [{ path: 'file.path', code: 'unreadable' }],
      message: expect.stringMatching(/ENOENT/) as unknown,
    });
    const broken = new Readable({
      read() {
        this.destroy(new Error('disk gone'));
      },
    });
    expect(await failure({ file: broken, purpose: 'user_data' })).toMatchObject({
      issues: [{ path: 'file', code: 'unreadable' }],
      message: expect.stringMatching(/disk gone/) as unknown,
    });
    expect(simulator.requests).toHaveLength(0);
  });

  it('sends the expiry and refuses malformed file ids', async () => {
    const { operations, simulator } = await start();
    await operations.files.upload({ file: bytes, purpose: 'user_data', expiresAfterSeconds: 7_200 });
    expect((simulator.requests[0]?.body as { fields: Record<string, string> }).fields).toMatchObject({
      'expires_after[anchor]': 'created_at',
      'expires_after[seconds]': '7200',
    });
    const files = operations.files;
    for (const call of [
      (id: string) => files.retrieve(id),
      (id: string) => files.downloadText(id),
      (id: string) => files.downloadBytes(id),
      (id: string) => files.delete(id),
    ]) {
      expect((await call('../../models'))._unsafeUnwrapErr()).toMatchObject({
        _tag: 'ValidationError',
        issues: [{ path: 'fileId' }],
      });
    }
    expect(simulator.requests).toHaveLength(1);
  });

  it('retries a download whose body was cut', async () => {
    const { operations, simulator } = await start();
    const id = (await operations.files.upload({ file: bytes, purpose: 'user_data' }))._unsafeUnwrap().value.id;
    simulator.enqueue('files.content', { type: 'stream-cut', afterChunks: 0 });
    const downloaded = (await operations.files.downloadText(id))._unsafeUnwrap();
    expect(downloaded.value).toBe(text);
    expect(downloaded.meta.attempts).toBe(2);
  });
});
