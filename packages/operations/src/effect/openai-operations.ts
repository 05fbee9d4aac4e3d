import { configVariables, createError } from '@openai-integration/core';
import * as Config from 'effect/Config';
import * as Context from 'effect/Context';
import * as Effect from 'effect/Effect';
import * as Layer from 'effect/Layer';
import * as Option from 'effect/Option';
import * as Redacted from 'effect/Redacted';
import { createOperations, type IntegrationError, type OperationsOptions } from '../index.ts';
import { fromResult } from './internal/from-result-async.ts';
import { toEffectOperations, type EffectOperations } from './to-effect-operations.ts';

/** What {@link OpenAIOperations.layerConfig} accepts: the options of `createOperations` except the configuration itself. */
export type OpenAIOperationsConfigOptions = Omit<OperationsOptions, 'config'>;

/** Builds the operations from options, as `createOperations` does, in an Effect. */
const make = (options: OperationsOptions): Effect.Effect<EffectOperations, IntegrationError> =>
  Effect.map(
    Effect.suspend(() => fromResult(createOperations(options))),
    toEffectOperations,
  );

// A provider's message comes from outside (a vault, a file): at most this much of it goes into the error.
const maxProviderMessageLength = 300;
const bounded = (text: string): string =>
  text.length <= maxProviderMessageLength ? text : `${text.slice(0, maxProviderMessageLength)}...`;

/**
 * Reads the integration's environment variables (`OPENAI_API_KEY`, `OPENAI_BASE_URL`,
 * ... as listed by core's `configVariables`) from the current `ConfigProvider`. A
 * provider that cannot be read is a `ConfigError` of this project, naming the variable.
 */
const readEnvironment: Effect.Effect<Readonly<Record<string, string | undefined>>, IntegrationError> = Effect.map(
  Effect.all(
    configVariables.map(({ variable, secret }) =>
      Effect.mapError(
        Effect.map(
          Config.option(secret ? Config.map(Config.Redacted(variable), Redacted.value) : Config.String(variable)),
          (value) => [variable, Option.getOrUndefined(value)] as const,
        ),
        (error) =>
          createError('ConfigError', {
            message: `${variable} could not be read from the Effect ConfigProvider: ${bounded(error.cause.message)}`,
            variable,
            fix: `make ${variable} readable by the ConfigProvider in use, or set it in the environment`,
            problems: [
              {
                variable,
                problem: 'could not be read from the Effect ConfigProvider',
                fix: `make ${variable} readable by the ConfigProvider in use`,
              },
            ],
          }),
      ),
    ),
  ),
  (entries) => Object.fromEntries(entries),
);

/**
 * The OpenAI operations as an Effect service: every operation returns an `Effect`
 * (streams and list walks an Effect `Stream`) that fails with the project's tagged
 * errors, so that `Effect.catchTag('RateLimitError', ...)` handles them. Provide it
 * with {@link OpenAIOperations.layer} or {@link OpenAIOperations.layerConfig}.
 *
 * @example
 * const program = Effect.gen(function* () {
 *   const openai = yield* OpenAIOperations;
 *   const answer = yield* openai.chat.create({ messages: [{ role: 'user', content: 'Hello' }] });
 *   return answer.value.text;
 * });
 * Effect.runPromise(program.pipe(Effect.provide(OpenAIOperations.layer())));
 */
export class OpenAIOperations extends Context.Service<OpenAIOperations, EffectOperations>()(
  '@openai-integration/operations/OpenAIOperations',
) {
  /**
   * A layer that builds the operations with `createOperations(options)`: without
   * `config`, the configuration is loaded from `options.load`, the environment and
   * `.env`, as everywhere in the project. Each build of the layer makes new operations
   * (their own client, transport, usage tracker and breakers).
   *
   * Fails with: `ConfigError` (missing or malformed settings, named with their fix).
   */
  static layer(options: OperationsOptions = {}): Layer.Layer<OpenAIOperations, IntegrationError> {
    return Layer.effect(OpenAIOperations, make(options));
  }

  /**
   * A layer that reads the integration's environment variables (`OPENAI_API_KEY`,
   * `OPENAI_BASE_URL`, `OPENAI_MODEL`, ... see core's `configVariables`) from Effect's
   * current `ConfigProvider` (by default the process environment), then loads the
   * configuration with core's `loadConfig` exactly as `createOperations` does: the same
   * defaults, the same validation and messages, and the `.env` file read after them
   * (`load.envFile: false` reads none). Values read from the provider replace
   * `load.env`; other `load` options (an explicit `apiKey`, say) still win over them.
   *
   * Fails with: `ConfigError` (a variable missing, malformed, or that the provider could not read).
   */
  static layerConfig(options: OpenAIOperationsConfigOptions = {}): Layer.Layer<OpenAIOperations, IntegrationError> {
    return Layer.effect(
      OpenAIOperations,
      Effect.flatMap(readEnvironment, (env) => make({ ...options, load: { ...options.load, env } })),
    );
  }
}
