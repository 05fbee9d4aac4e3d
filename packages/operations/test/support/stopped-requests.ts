/**
 * A fetch that records, for each request, whether it was stopped: by its signal, or by
 * cancelling its body (the Fetch standard ends a fetch whose body is cancelled). A
 * stream read by the SDK is stopped through the signal; one whose body the
 * integration reads, by cancelling the body.
 */
export function stopRecordingFetch(send: typeof fetch = fetch): {
  readonly fetch: typeof fetch;
  /** Per request, in the order sent: whether it was stopped so far. */
  readonly stopped: boolean[];
} {
  const stopped: boolean[] = [];
  return {
    stopped,
    fetch: async (input, init) => {
      const index = stopped.push(false) - 1;
      const stop = (): void => {
        stopped[index] = true;
      };
      if (init?.signal?.aborted === true) stop();
      init?.signal?.addEventListener('abort', stop, { once: true });
      const response = await send(input, init);
      if (response.body === null) return response;
      const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const step = await reader.read();
          if (step.done) controller.close();
          else controller.enqueue(step.value);
        },
        cancel(reason) {
          stop();
          return reader.cancel(reason);
        },
      });
      const copy = new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
      Object.defineProperty(copy, 'url', { value: response.url });
      return copy;
    },
  };
}
