import { OpenAIOperations } from '@openai-integration/operations/effect';
import { Effect, Stream } from 'effect';

const program = Effect.gen(function* () {
  const openai = yield* OpenAIOperations;

  // One call: a 429 is handled by its tag; every other error stays in the error channel, typed.
  const greeting = yield* openai.chat.create({ messages: [{ role: 'user', content: 'Say hello in French.' }] }).pipe(
    Effect.map(
      (answer) => `${answer.value.text ?? ''} (${answer.meta.model}, request ${answer.meta.requestId ?? '?'})`,
    ),
    Effect.catchTag('RateLimitError', (error) =>
      Effect.succeed(`rate limited; retry in ${error.retryAfterMs ?? 'unknown'} ms`),
    ),
  );
  console.log(greeting);

  // A stream of typed events; a broken stream fails with its partial output. Interrupting
  // the fiber that reads it (a timeout, a race, Ctrl-C) aborts the request.
  yield* openai.chat.stream({ messages: [{ role: 'user', content: 'Count to five.' }] }).pipe(
    Stream.runForEach((event) =>
      Effect.sync(() => {
        if (event.type === 'text-delta') process.stdout.write(event.delta);
        if (event.type === 'end') console.log(`\n${event.meta.usage?.totalTokens ?? 0} tokens`);
      }),
    ),
    Effect.catchTag('StreamInterruptedError', (error) =>
      Effect.sync(() => {
        console.error(`\ncut after: ${error.partial.text}`);
      }),
    ),
  );
});

// OPENAI_API_KEY and the other OPENAI_* settings come from Effect's ConfigProvider (the
// environment by default), then from .env, validated as everywhere in the project.
await Effect.runPromise(
  program.pipe(
    Effect.provide(OpenAIOperations.layerConfig()),
    Effect.catch((error) =>
      Effect.sync(() => {
        console.error(`${error._tag}: ${error.message}`); // e.g. ConfigError naming the missing variable
        process.exitCode = 1;
      }),
    ),
  ),
);
