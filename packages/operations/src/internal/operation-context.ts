import type { Logger, RateLimitSnapshot } from '@openai-integration/core';
import type { Clock, Transport } from '@openai-integration/transport';
import type OpenAI from 'openai';
import type { ModelRegistry } from '../models/create-model-registry.ts';
import type { OperationsTelemetry } from '../telemetry/create-operations-telemetry.ts';
import type { UsageTracker } from '../usage/create-usage-tracker.ts';

/** Everything an operation needs; built once by `createOperations`. */
export interface OperationContext {
  readonly client: OpenAI;
  readonly transport: Transport;
  readonly usage: UsageTracker;
  readonly models: ModelRegistry;
  /** Already wrapped with redaction. */
  readonly logger: Logger;
  readonly clock: Clock;
  readonly defaultModel: string;
  /** Fallback chains: model -> the models to try next, in order. */
  readonly fallbacks: Readonly<Record<string, readonly string[]>>;
  readonly streamIdleTimeoutMs: number;
  readonly streamTotalTimeoutMs: number | undefined;
  readonly logBodies: boolean;
  /** The key values in use, to scrub from error messages (a rotating key adds itself when read). */
  readonly knownSecrets: () => readonly string[];
  /** Remembers the latest rate-limit snapshot, for reports. */
  readonly observeRateLimit: (snapshot: RateLimitSnapshot) => void;
  /** Spans and metrics (OpenTelemetry). */
  readonly telemetry: OperationsTelemetry;
  /**
   * The body as the endpoint names its model: Azure deployments replace the model
   * name (the registry, usage and spans keep the model). Undefined: sent as it is.
   */
  readonly deployed?: (<Body>(body: Body) => Body) | undefined;
}
