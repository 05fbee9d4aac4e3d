import type { SimulatorFault, SimulatorRoute } from '../faults/simulator-fault.ts';

/** A file part of a recorded multipart body. */
export interface RecordedFile {
  readonly field: string;
  readonly filename: string;
  readonly contentType: string;
  readonly bytes: number;
}

/**
 * One request as the simulator received it, for assertions. Credential headers
 * (`authorization`, `api-key`, cookies) are redacted; header names are lower case.
 */
export interface RecordedRequest {
  readonly method: string;
  /** The path as sent, e.g. `/v1/chat/completions`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The parsed body: JSON as parsed, multipart as `{fields, files}`, other text as
   * a string, no body as `null`.
   */
  readonly body: unknown;
  /** The operation it matched (e.g. `files.create`, `chat.completions`), or `null` for an unknown route. */
  readonly operation: SimulatorRoute | null;
  /** The `x-request-id` of the reply. */
  readonly requestId: string;
  /** When it arrived, on the simulator's clock (ms). */
  readonly receivedAt: number;
  /** The status sent, or `null` when no response was sent (reset, stall, closed). */
  readonly status: number | null;
  /** The scripted fault it consumed, if any. */
  readonly fault: SimulatorFault | null;
}
