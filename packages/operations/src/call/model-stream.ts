import type { IntegrationError } from '@openai-integration/core';
import type { ResultAsync } from 'neverthrow';
import type { StreamEvent } from '../streaming/stream-event.ts';
import type { CallMeta, OperationResult } from './call-meta.ts';

/** A streamed answer: typed events as they arrive, the whole answer, and its {@link CallMeta} whatever the outcome. */
export interface ModelStream<Final> extends AsyncIterable<StreamEvent<Final>> {
  /** The whole answer, or the error; a `StreamInterruptedError` carries the partial output. */
  readonly result: ResultAsync<OperationResult<Final>, IntegrationError>;
  /**
   * The call's meta once the stream has settled, whatever the outcome; it never
   * rejects. A stream that broke after delivering output has its usage estimated
   * (`usageEstimated: true`), recorded in the usage tracker and priced in `costUsd`:
   * read it here rather than estimating again. A stream refused before anything
   * arrived has `usage: null`. Awaiting it reads the stream to its end when nobody
   * iterates it, as `result` does.
   */
  readonly meta: Promise<CallMeta>;
}
