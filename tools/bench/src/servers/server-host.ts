import { createOpenAISimulator } from '@openai-integration/testkit';
import { startRawServer } from './raw-server.ts';
import type { ServerUrls } from './start-servers.ts';

/*
 * The servers' own process: the raw floor server and the testkit simulator, both on
 * 127.0.0.1, and a second simulator that pauses before every frame of a stream. Running them apart from the clients keeps server work off the client's
 * event loop (on two cores: one for the servers, one for the client under test). It
 * reports its URLs over IPC and exits when the parent disconnects.
 */
const streamChunks = Number(process.argv[2] ?? '1000');
const spreadChunks = Number(process.argv[3] ?? '50');
const spreadIntervalMs = Number(process.argv[4] ?? '4');
const raw = await startRawServer({ streamChunks });
const simulator = await createOpenAISimulator({
  seed: 7,
  // A budget no run can exhaust: rate-limit headers are sent (and parsed by the clients), nothing is refused.
  rateLimit: { requestsPerMinute: 100_000_000, tokensPerMinute: 10_000_000_000 },
  replyTokens: 6,
  replyWith: (context) => (context.body['stream'] === true ? { tokens: streamChunks } : undefined),
});
// Streams spread over time: every request takes a `slow` fault, a pause before each frame.
const spread = await createOpenAISimulator({
  seed: 7,
  rateLimit: { requestsPerMinute: 100_000_000, tokensPerMinute: 10_000_000_000 },
  replyTokens: 6,
  replyWith: (context) => (context.body['stream'] === true ? { tokens: spreadChunks } : undefined),
});
spread.enqueue(
  'chat.completions',
  ...Array.from({ length: 20_000 }, () => ({ type: 'slow' as const, delayMs: spreadIntervalMs })),
);
const urls: ServerUrls = {
  raw: raw.baseURL,
  failing: raw.failingBaseURL,
  simulator: simulator.baseURL,
  spread: spread.baseURL,
};
process.send?.({ type: 'ready', urls });
process.on('disconnect', () => {
  void Promise.all([raw.close(), simulator.close(), spread.close()]).then(() => process.exit(0));
});
