import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import type { GenAiConventions } from './semantic-conventions.ts';

/**
 * How the operations report to OpenTelemetry. Everything goes through
 * `@opentelemetry/api`: without an SDK registered by the application (or providers
 * given here) nothing is recorded and almost nothing is done.
 */
export interface TelemetryOptions {
  /** `false` records no span and no metric at all. Default true. */
  readonly enabled?: boolean;
  /** Where spans go. Default: the global tracer provider (`trace.getTracerProvider()`), also one registered later. */
  readonly tracerProvider?: TracerProvider;
  /**
   * Where metrics go. Default: the global meter provider as it is when the operations
   * are created (register the SDK first, or pass it here).
   */
  readonly meterProvider?: MeterProvider;
  /**
   * Which GenAI semantic conventions to follow (see {@link GenAiConventions}). Default:
   * `latest` when `OTEL_SEMCONV_STABILITY_OPT_IN` lists `gen_ai_latest_experimental`,
   * else `v1.36`.
   */
  readonly conventions?: GenAiConventions;
  /**
   * Record prompts and completions on spans. Default false: no text of a prompt or a
   * completion is ever recorded. When true, they are redacted as log records with
   * bodies are (keys, bearer tokens, credential fields and the key in use removed) and
   * cut at `maxContentLength`.
   */
  readonly captureContent?: boolean;
  /** Longest recorded prompt or completion, in characters of JSON. Default 16384. */
  readonly maxContentLength?: number;
}
