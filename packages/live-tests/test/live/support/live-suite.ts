import type { Operations } from '@openai-integration/operations';
import { expect, inject, onTestFinished } from 'vitest';
import { createCleanupRegistry, type CleanupRegistry } from '../../../src/cleanup/create-cleanup-registry.ts';
import { liveName } from '../../../src/naming/live-name.ts';
import type { McpEndpoint } from '../../../src/mcp/create-mcp-server-launch.ts';
import { selectLiveMode } from '../../../src/mode/select-live-mode.ts';
import { createSuiteOperations } from '../../../src/setup/create-suite-operations.ts';
import { rehearsalApiKey, type LiveSuiteContext } from '../../../src/setup/live-suite-context.ts';
import './provided-context.ts';

/** The suite's context, as the global setup provided it. */
export const suite: LiveSuiteContext = inject('liveSuite');

/** Operations pointed at this run's endpoint (the real API, or the simulator in rehearsal). */
export function suiteOperations(options: { readonly apiKey?: string } = {}): Operations {
  const operations = createSuiteOperations(suite, options);
  if (operations.isErr()) throw new Error(`${operations.error._tag}: ${operations.error.message}`);
  return operations.value;
}

/** A name for something this test creates on the server: `oi-live-<runId>-<label>`. */
export const nameFor = (label: string): string => liveName(suite.runId, label);

/**
 * A cleanup registry for the current test, run when the test finishes, passed or
 * failed. A cleanup that fails fails the test, so that a leak is never silent (the
 * sweeper would still remove it at the end of the run).
 */
export function useCleanup(): CleanupRegistry {
  const cleanup = createCleanupRegistry();
  onTestFinished(async () => {
    const report = await cleanup.run();
    expect(report.failed, 'cleanups that failed').toEqual([]);
  });
  return cleanup;
}

/**
 * The endpoint and key of this run, for a subprocess that must call the same API
 * (the MCP server): the simulator's key in rehearsal, the configured one live.
 */
export async function suiteEndpoint(): Promise<McpEndpoint> {
  if (suite.mode === 'rehearsal') return { baseUrl: suite.baseUrl, apiKey: rehearsalApiKey };
  const mode = selectLiveMode();
  if (mode.isErr() || mode.value.kind !== 'live')
    throw new Error('the live configuration no longer loads in the test worker');
  const { config } = mode.value;
  return {
    baseUrl: config.baseUrl,
    apiKey: await config.apiKey.reveal(),
    organization: config.organization,
    project: config.project,
  };
}
