import { createOpenAISimulator, type OpenAISimulator } from '@openai-integration/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSuiteOperations } from '../setup/create-suite-operations.ts';
import { rehearsalApiKey } from '../setup/live-suite-context.ts';
import { createFilesSweepTarget } from './create-files-sweep-target.ts';

let simulator: OpenAISimulator;

beforeAll(async () => {
  simulator = await createOpenAISimulator({
    seed: 2,
    apiKey: rehearsalApiKey,
    now: () => Date.UTC(2026, 10, 24, 12, 0, 0),
  });
});

afterAll(async () => {
  await simulator.close();
});

const operationsFor = (baseUrl: string, apiKey = rehearsalApiKey) =>
  createSuiteOperations(
    {
      mode: 'rehearsal',
      baseUrl,
      runId: '20261124120000abcd',
      chatModel: 'gpt-4.1-nano',
      embeddingModel: 'text-embedding-3-small',
      expectRateLimitHeaders: true,
    },
    { apiKey },
  )._unsafeUnwrap();

describe('createFilesSweepTarget', () => {
  it('lists only the files named with the live prefix, with their creation time, and deletes by id', async () => {
    const operations = operationsFor(simulator.baseURL);
    const bytes = new TextEncoder().encode('{}\n');
    const ours = (
      await operations.files.upload({ file: bytes, purpose: 'batch', filename: 'oi-live-20261124120000abcd-x.jsonl' })
    )._unsafeUnwrap().value;
    await operations.files.upload({ file: bytes, purpose: 'batch', filename: 'someone-else.jsonl' });
    const target = createFilesSweepTarget(operations.files);
    const listed = [];
    for await (const file of target.listFiles()) listed.push(file._unsafeUnwrap());
    expect(listed).toEqual([
      {
        id: ours.id,
        filename: 'oi-live-20261124120000abcd-x.jsonl',
        createdAt: Date.UTC(2026, 10, 24, 12, 0, 0) / 1_000,
      },
    ]);
    expect((await target.deleteFile(ours.id)).isOk()).toBe(true);
    const again = await target.deleteFile(ours.id);
    expect(again.isErr() && again.error._tag).toBe('NotFoundError');
  });

  it('ends the listing with the error when the list cannot be read', async () => {
    const target = createFilesSweepTarget(operationsFor(simulator.baseURL, 'sk-wrong-key-0000000000').files);
    const listed = [];
    for await (const file of target.listFiles()) listed.push(file);
    expect(listed).toHaveLength(1);
    expect(listed[0]?.isErr() && listed[0].error._tag).toBe('AuthenticationError');
  });
});
