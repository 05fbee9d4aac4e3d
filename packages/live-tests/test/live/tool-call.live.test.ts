import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { suite, suiteOperations } from './support/live-suite.ts';

const weatherArguments = z.object({ city: z.string().min(1) });

describe('chat.create with tools', () => {
  it('calls the required function with arguments that match its schema', async () => {
    const answer = await suiteOperations().chat.create({
      model: suite.chatModel,
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Current weather of a city.',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string' } },
              required: ['city'],
              additionalProperties: false,
            },
            strict: true,
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      max_completion_tokens: 32,
    });
    expect(answer.isOk()).toBe(true);
    const { value } = answer._unsafeUnwrap();
    // A named tool_choice ends with finish_reason "stop" on OpenAI ("tool_calls" for auto/required): look at the calls, not the reason.
    expect(['stop', 'tool_calls']).toContain(value.finishReason);
    expect(value.toolCalls).toHaveLength(1);
    const [call] = value.toolCalls;
    expect(call?.name).toBe('get_weather');
    expect(call?.id).toMatch(/\S+/);
    expect(weatherArguments.safeParse(JSON.parse(call?.arguments ?? 'null')).success).toBe(true);
  });
});
