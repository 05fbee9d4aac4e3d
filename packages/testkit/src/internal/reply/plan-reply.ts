import type { ScriptedReply } from '../../faults/simulator-fault.ts';
import type { SimulatedModel } from '../../models/default-models.ts';
import { countTokens } from '../../tokens/count-tokens.ts';
import type { IdFactory } from '../random/create-ids.ts';
import type { Random } from '../random/create-random.ts';
import { generateInstance } from '../schema/generate-instance.ts';
import { generatePieces, generateWords } from '../text/generate-text.ts';
import { splitTokens } from '../text/split-tokens.ts';

/** A function tool the model may call. */
export interface ToolSpec {
  readonly name: string;
  readonly parameters: unknown;
}

/** Whether and which tool to call. */
export type ToolChoice = 'none' | 'auto' | 'required' | { readonly name: string };

/** The requested shape of text output. */
export type OutputFormat =
  | { readonly type: 'text' }
  | { readonly type: 'json_object' }
  | { readonly type: 'json_schema'; readonly schema: unknown };

/** Reasoning models spend this many (hidden) reasoning tokens on every reply. */
const reasoningTokensPerReply = 8;

/** Everything that decides a reply. */
export interface ReplyInput {
  readonly random: Random;
  readonly ids: IdFactory;
  readonly model: SimulatedModel;
  /** The output token limit (reasoning included), or `null` for none. */
  readonly limit: number | null;
  readonly tools: readonly ToolSpec[];
  readonly toolChoice: ToolChoice;
  /** The last input is a tool result: answer in text. */
  readonly afterToolResult: boolean;
  readonly format: OutputFormat;
  readonly scripted: ScriptedReply | undefined;
  readonly replyTokens: { readonly min: number; readonly max: number };
}

/** A planned tool call, with its arguments split into streamed pieces. */
interface PlannedToolCall {
  readonly callId: string;
  readonly name: string;
  readonly arguments: string;
  readonly pieces: readonly string[];
}

/** A planned reply: text pieces or tool calls, and its token accounting. */
export interface PlannedReply {
  /** The text answer, or `null` when the reply is tool calls. */
  readonly text: string | null;
  readonly pieces: readonly string[];
  readonly toolCalls: readonly PlannedToolCall[];
  /** The output limit cut the reply short. */
  readonly truncated: boolean;
  readonly reasoningTokens: number;
  /** Visible plus reasoning tokens. */
  readonly outputTokens: number;
}

function chooseTool(input: ReplyInput): ToolSpec | undefined {
  const { tools, toolChoice } = input;
  if (tools.length === 0 || toolChoice === 'none') return undefined;
  if (typeof toolChoice === 'object') return tools.find((tool) => tool.name === toolChoice.name);
  if (toolChoice === 'auto' && input.afterToolResult) return undefined;
  return tools[0];
}

function textFor(input: ReplyInput): string[] {
  const { format, random } = input;
  if (input.scripted?.tokens !== undefined) return generatePieces(random, input.scripted.tokens);
  if (format.type === 'json_schema') return splitTokens(JSON.stringify(generateInstance(format.schema, random)));
  if (format.type === 'json_object')
    return splitTokens(JSON.stringify({ answer: generateWords(random, random.int(3, 8)) }));
  return generatePieces(random, random.int(input.replyTokens.min, input.replyTokens.max));
}

/**
 * Plans the reply of a chat completion or response: a scripted reply when given,
 * else a tool call when tools are offered and the choice allows (the named tool,
 * or the first one; `auto` answers in text after a tool result), else JSON that
 * fits the requested schema, else generated text. The output limit applies to
 * reasoning plus visible tokens and cuts the reply (`truncated`).
 */
export function planReply(input: ReplyInput): PlannedReply {
  const reasoning = input.model.reasoning === true ? reasoningTokensPerReply : 0;
  const reasoningTokens = input.limit === null ? reasoning : Math.min(reasoning, input.limit);
  let budget = input.limit === null ? Number.POSITIVE_INFINITY : Math.max(0, input.limit - reasoning);
  let truncated = input.limit !== null && input.limit < reasoning;
  const scriptedCalls = input.scripted?.toolCalls;
  const tool =
    scriptedCalls === undefined && input.scripted?.content === undefined && input.scripted?.tokens === undefined
      ? chooseTool(input)
      : undefined;
  const calls =
    scriptedCalls !== undefined && scriptedCalls.length > 0
      ? scriptedCalls.map((call) => ({
          name: call.name,
          arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
        }))
      : tool !== undefined
        ? [
            {
              name: tool.name,
              arguments: JSON.stringify(
                generateInstance(tool.parameters ?? { type: 'object', properties: {} }, input.random),
              ),
            },
          ]
        : [];
  if (calls.length > 0) {
    const toolCalls: PlannedToolCall[] = [];
    let visible = 0;
    for (const call of calls) {
      if (budget <= 0 && toolCalls.length > 0) {
        truncated = true;
        break;
      }
      let pieces = splitTokens(call.arguments);
      if (pieces.length > budget) {
        pieces = pieces.slice(0, budget);
        truncated = true;
      }
      budget -= pieces.length;
      const argumentsText = pieces.join('');
      visible += countTokens(argumentsText);
      toolCalls.push({ callId: input.ids.next('call'), name: call.name, arguments: argumentsText, pieces });
    }
    return { text: null, pieces: [], toolCalls, truncated, reasoningTokens, outputTokens: visible + reasoningTokens };
  }
  let pieces = input.scripted?.content !== undefined ? splitTokens(input.scripted.content) : textFor(input);
  if (pieces.length > budget) {
    pieces = pieces.slice(0, budget);
    truncated = true;
  }
  const text = pieces.join('');
  return { text, pieces, toolCalls: [], truncated, reasoningTokens, outputTokens: countTokens(text) + reasoningTokens };
}

/** Prompt tokens of a conversation: the tokens of its texts plus 3 per message and 3 to prime the reply. */
export function countPromptTokens(texts: readonly string[]): number {
  return texts.reduce((total, text) => total + countTokens(text) + 3, 3);
}

/**
 * Cached prompt tokens: a prompt of at least 1024 tokens seen before by this
 * simulator is cached in steps of 128 tokens, like OpenAI's prompt caching.
 */
export function cachedTokensFor(seen: Set<string>, key: string, promptTokens: number): number {
  const cached = seen.has(key) && promptTokens >= 1024 ? 1024 + Math.floor((promptTokens - 1024) / 128) * 128 : 0;
  seen.add(key);
  return cached;
}
