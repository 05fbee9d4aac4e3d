import { createOpenAISimulator } from '@openai-integration/testkit';

/*
 * A process that runs one testkit simulator enforcing a rate limit (requests and
 * tokens per minute from argv), for the rate-limit case. A fresh one per run, so that
 * every client starts with the same full budget. It reports its URL over IPC and exits
 * when the parent disconnects.
 */
const requestsPerMinute = Number(process.argv[2]);
const tokensPerMinute = Number(process.argv[3]);
const simulator = await createOpenAISimulator({
  seed: 7,
  rateLimit: { requestsPerMinute, tokensPerMinute },
  // Every answer the same length: every successful call costs the same tokens.
  replyTokens: 6,
});
process.send?.({ type: 'ready', baseURL: simulator.baseURL });
process.on('disconnect', () => {
  void simulator.close().then(() => process.exit(0));
});
