import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type TextMapGetter,
} from '@opentelemetry/api';
import type { CallToolResult, ServerContext } from '@modelcontextprotocol/server';
import { toolErrorMetaKey } from '../errors/to-tool-error.ts';

/** Reads `traceparent` and `tracestate` from a request's `_meta`, as MCP clients send them. */
const metaGetter: TextMapGetter<Readonly<Record<string, unknown>>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    return typeof value === 'string' ? value.slice(0, 512) : undefined;
  },
};

/** The `_tag` of the error a tool result carries (see `toToolError`), for `error.type`. */
function errorTypeOf(result: CallToolResult): string {
  const fields = result._meta?.[toolErrorMetaKey] as { readonly tag?: unknown } | undefined;
  return typeof fields?.tag === 'string' ? fields.tag.slice(0, 64) : 'tool_error';
}

/**
 * Runs an MCP tool call in a span of its own (`tools/call {tool}`, kind SERVER, by the
 * MCP and GenAI conventions: `mcp.method.name`, `gen_ai.operation.name`
 * `execute_tool`, `gen_ai.tool.name`, `jsonrpc.request.id`, `mcp.session.id`), made
 * the active span while the tool runs, so that the spans of the operations it calls are
 * its children. A trace context the client sent in the request's `_meta` is the
 * parent (when the application registered a propagator). A tool error sets the span's
 * status and `error.type`. Without an OpenTelemetry SDK it only runs the tool.
 */
export async function runInToolSpan(
  tool: string,
  ctx: ServerContext,
  run: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  const meta = ctx.mcpReq._meta as Readonly<Record<string, unknown>> | undefined;
  const parent = meta === undefined ? context.active() : propagation.extract(context.active(), meta, metaGetter);
  const span = trace
    .getTracer('@openai-integration/mcp-adapter')
    .startSpan(`tools/call ${tool}`, { kind: SpanKind.SERVER }, parent);
  if (!span.isRecording()) return await run();
  const attributes: Attributes = {
    'mcp.method.name': 'tools/call',
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': tool,
    'jsonrpc.request.id': String(ctx.mcpReq.id),
  };
  if (ctx.sessionId !== undefined) attributes['mcp.session.id'] = ctx.sessionId;
  span.setAttributes(attributes);
  try {
    const result = await context.with(trace.setSpan(parent, span), run);
    if (result.isError === true) {
      span.setAttribute('error.type', errorTypeOf(result));
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'the tool returned an error' });
    }
    return result;
  } catch (thrown) {
    span.setAttribute('error.type', 'exception');
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'the tool threw' });
    throw thrown;
  } finally {
    span.end();
  }
}
