import OpenAI from 'openai';
import { createOpenAISimulator } from '@openai-integration/testkit';

// The app code under test: a summary, or a fallback when OpenAI is unavailable.
async function summarise(client: OpenAI, text: string): Promise<string> {
  try {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `Summarise: ${text}` }],
    });
    return completion.choices[0]?.message.content ?? '';
  } catch {
    return 'Summary unavailable right now.';
  }
}

const simulator = await createOpenAISimulator({ seed: 1 });
const client = new OpenAI({ apiKey: 'sk-test', baseURL: simulator.baseURL, maxRetries: 0 });

simulator.enqueue('chat.completions', { type: 'status', status: 503 });
console.log(await summarise(client, 'A long report')); // Summary unavailable right now.

simulator.enqueue('chat.completions', { type: 'reply', content: 'A short report.' });
console.log(await summarise(client, 'A long report')); // A short report.

console.log(simulator.requests.map((request) => request.status)); // [ 503, 200 ]
await simulator.close();
