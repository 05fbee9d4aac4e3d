import { createOperations } from '@openai-integration/operations';

// Reads OPENAI_API_KEY (and the other OPENAI_* settings) from the environment or .env.
const created = createOperations({ fallbacks: { 'gpt-4.1-mini': ['gpt-4o-mini'] } });
if (created.isErr()) {
  console.error(created.error.message); // names the missing variable and how to set it
  process.exit(1);
}
const operations = created.value;

// One call: validated first, retried by the transport, moved along the fallback chain.
const answer = await operations.chat.create({ messages: [{ role: 'user', content: 'Say hello in French.' }] });
if (answer.isErr()) {
  const error = answer.error;
  switch (error._tag) {
    case 'RateLimitError':
      console.error(`rate limited; retry in ${error.retryAfterMs ?? 'unknown'} ms`);
      break;
    case 'QuotaExceededError':
      console.error('out of credits: check billing');
      break;
    default:
      console.error(`${error._tag}: ${error.message}`);
  }
  process.exit(1);
}
const { value, meta } = answer.value;
console.log(value.text);
console.log(
  `${meta.model} answered in ${meta.latencyMs} ms after ${meta.attempts} attempt(s); request ${meta.requestId ?? '?'}; $${meta.costUsd ?? '?'}`,
);

// A stream: typed events as they arrive; a broken stream keeps what it delivered.
const stream = operations.chat.stream({ messages: [{ role: 'user', content: 'Count to five.' }] });
for await (const event of stream) {
  if (event.type === 'text-delta') process.stdout.write(event.delta);
  if (event.type === 'error' && event.error._tag === 'StreamInterruptedError')
    console.error(`\ncut after: ${event.error.partial.text}`);
}

// Many embeddings: every success kept, every failure reported by its index.
const texts = ['first document', 'second document', 'third document'];
const embedded = await operations.embeddings.createMany(texts, { concurrency: 4 });
if (embedded.isOk()) {
  for (const failure of embedded.value.value.failures) console.error(`text ${failure.index}: ${failure.error._tag}`);
}

// A cursor list, page by page through the transport; a failure carries the cursor to resume from.
for await (const file of operations.files.list({ purpose: 'batch' })) {
  if (file.isErr()) {
    console.error(`listing stopped (${file.error._tag}); resume with after: ${file.error.resumeCursor ?? 'the start'}`);
    break;
  }
  console.log(file.value.filename);
}

// What everything cost so far.
console.log(operations.usage.report().total);
