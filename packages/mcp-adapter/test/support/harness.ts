import { afterEach } from 'vitest';
import { createLogger } from '@openai-integration/core';
import { createOperations, type Operations, type OperationsOptions } from '@openai-integration/operations';
import {
  createOpenAISimulator,
  createTestClock,
  type OpenAISimulator,
  type SimulatorOptions,
  type TestClock,
} from '@openai-integration/testkit';
import { Client, InMemoryTransport, type CallToolResult } from '@modelcontextprotocol/client';
import type { McpServer } from '@modelcontextprotocol/server';
import { createOpenAIMcpServer, toolErrorMetaKey, type OpenAIMcpServerOptions } from '../../src/index.ts';

/** The API key the tests use; it must never appear in a tool result. */
export const testApiKey = 'sk-proj-mcpHarnessKEY01';

/** A simulator, operations against it, an MCP server with the tools and a connected client. */
export interface Harness {
  readonly simulator: OpenAISimulator;
  readonly operations: Operations;
  readonly server: McpServer;
  readonly client: Client;
  readonly clock: TestClock;
  /** Calls a tool and returns its result (protocol errors reject). */
  readonly call: (
    name: string,
    args: Record<string, unknown>,
    options?: Parameters<Client['callTool']>[1],
  ) => Promise<CallToolResult>;
  readonly close: () => Promise<void>;
}

/** The text of a tool result's first content block. */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}

/** The machine-readable fields of a tool error. */
export function errorFieldsOf(result: CallToolResult): Record<string, unknown> | undefined {
  return result._meta?.[toolErrorMetaKey] as Record<string, unknown> | undefined;
}

/**
 * Starts the testkit simulator on loopback, creates operations against it (the real
 * `openai` SDK, no retries unless asked, a test clock), an MCP server with the OpenAI
 * tools, and a client connected over the SDK's linked in-memory transports.
 */
export async function createHarness(
  options: {
    readonly tools?: OpenAIMcpServerOptions;
    readonly operations?: Partial<OperationsOptions>;
    readonly simulator?: SimulatorOptions;
    readonly maxRetries?: number;
    /** The clock of the operations and the tools (default: a new test clock). */
    readonly clock?: TestClock;
  } = {},
): Promise<Harness> {
  const simulator = await createOpenAISimulator({ seed: 7, ...options.simulator });
  const clock = options.clock ?? createTestClock();
  const created = createOperations({
    load: {
      apiKey: testApiKey,
      baseUrl: simulator.baseURL,
      envFile: false,
      env: {},
      model: 'gpt-4o-mini',
      maxRetries: options.maxRetries ?? 0,
      streamIdleTimeoutMs: 600_000,
      timeoutMs: 600_000,
    },
    logger: createLogger({ level: 'off' }),
    clock,
    transport: { retry: { jitter: 'none' }, attemptTimeoutMs: 600_000 },
    ...options.operations,
  });
  if (created.isErr()) throw new Error(created.error.message);
  const operations = created.value;
  const server = createOpenAIMcpServer(operations, { progressIntervalMs: 0, now: () => clock.now(), ...options.tools });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: 'test-client', version: '1.0.0' });
  await client.connect(clientTransport);
  return {
    simulator,
    operations,
    server,
    client,
    clock,
    call: (name, args, callOptions) => client.callTool({ name, arguments: args }, callOptions),
    async close() {
      await client.close();
      await server.close();
      await simulator.close();
    },
  };
}

/**
 * Registers an `afterEach` that closes the test's harness, and returns the function
 * that starts one (at most one per test).
 */
export function useHarness(): (options?: Parameters<typeof createHarness>[0]) => Promise<Harness> {
  let current: Harness | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options = {}) => {
    current = await createHarness(options);
    return current;
  };
}
