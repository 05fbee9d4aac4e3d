import { createError, createSecret, loadConfig, type IntegrationError } from '@openai-integration/core';
import { createOperations, type Operations } from '@openai-integration/operations';
import { err, type Result } from 'neverthrow';
import { selectLiveMode, type SelectLiveModeOptions } from '../mode/select-live-mode.ts';
import { rehearsalApiKey, type LiveSuiteContext } from './live-suite-context.ts';

/** What {@link createSuiteOperations} accepts besides the suite context. */
export interface SuiteOperationsOptions extends SelectLiveModeOptions {
  /** Another API key than the configured one (the scenario of an invalid key). */
  readonly apiKey?: string;
}

/**
 * Creates the operations a scenario calls, pointed at the suite's endpoint: in
 * rehearsal the simulator with its key; live, the configuration from the environment
 * and `.env` (see `selectLiveMode`), read again in the test worker so that the key
 * never travels through vitest's `provide`. Both use the suite's defaults: 2 retries,
 * 30 s attempts, no log lines.
 *
 * Fails with: `ConfigError` (the configuration no longer loads, or it now says the
 * other mode than the global setup chose).
 *
 * @example
 * const operations = createSuiteOperations(inject('liveSuite'))._unsafeUnwrap();
 */
export function createSuiteOperations(
  context: LiveSuiteContext,
  options: SuiteOperationsOptions = {},
): Result<Operations, IntegrationError> {
  if (context.mode === 'rehearsal') {
    const config = loadConfig({
      apiKey: options.apiKey ?? rehearsalApiKey,
      baseUrl: context.baseUrl,
      env: {},
      envFile: false,
      logLevel: 'off',
      maxRetries: 2,
      timeoutMs: 30_000,
    });
    return config.andThen((value) => createOperations({ config: value }));
  }
  return selectLiveMode(options).andThen((mode): Result<Operations, IntegrationError> => {
    if (mode.kind !== 'live') {
      const fix = 'run the whole suite again, with the same environment';
      const problem = 'no longer selects the live mode in the test worker, although the global setup chose it';
      return err(
        createError('ConfigError', {
          message: `OPENAI_API_KEY ${problem}; fix: ${fix}`,
          variable: 'OPENAI_API_KEY',
          fix,
          problems: [{ variable: 'OPENAI_API_KEY', problem, fix }],
        }),
      );
    }
    const config =
      options.apiKey === undefined ? mode.config : { ...mode.config, apiKey: createSecret(options.apiKey) };
    return createOperations({ config });
  });
}
