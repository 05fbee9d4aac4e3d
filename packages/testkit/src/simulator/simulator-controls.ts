import type { SimulatorFault, SimulatorRoute } from '../faults/simulator-fault.ts';
import type { RecordedRequest } from '../recording/recorded-request.ts';

/** How scripted batch-item failures fail. */
export interface BatchItemFailureOptions {
  /** In how many batches each id fails before it succeeds (default 1). */
  readonly times?: number;
  /** The `status_code` of the failed line (default 500). */
  readonly status?: number;
  /** The error message of the failed line. */
  readonly message?: string;
  /** The error code of the failed line (default `server_error` for 5xx, else `null`). */
  readonly code?: string | null;
}

/**
 * The scripting and inspection surface shared by the loopback simulator and the msw
 * handlers.
 */
export interface SimulatorControls {
  /**
   * Queues faults for a route; each request to it consumes one, in order, and then
   * requests behave normally again.
   */
  enqueue(route: SimulatorRoute, ...faults: readonly SimulatorFault[]): void;
  /**
   * Makes the lines with these `custom_id`s fail in the next batch(es) that contain
   * them (`times`, default 1), so that a resubmission of the failed lines succeeds.
   */
  failBatchItems(customIds: readonly string[], options?: BatchItemFailureOptions): void;
  /** Every request received so far, oldest first (a snapshot). */
  readonly requests: readonly RecordedRequest[];
  /**
   * Forgets everything: queued faults, recorded requests, files, batches, stored
   * responses, the rate-limit budget, and restarts the id sequence.
   */
  reset(): void;
}
