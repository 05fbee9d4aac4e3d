import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';

const binary = fileURLToPath(new URL('../src/bin/openai-simulator.ts', import.meta.url));

describe('openai-simulator (the binary)', { timeout: 120_000 }, () => {
  it('prints only its base URL once it accepts connections, serves the SDK, and exits 0 on SIGTERM', async () => {
    // Node 24 runs the TypeScript source directly; the source condition resolves core to its source too.
    const child = spawn(
      process.execPath,
      ['--conditions=@openai-integration/source', binary, '--port', '0', '--seed', '7'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const firstLine = new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (data: string) => {
        stdout += data;
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0] ?? '');
      });
      child.once('exit', (code) => {
        reject(new Error(`exited early with ${String(code)}`));
      });
    });
    const baseURL = await firstLine;
    expect(baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const client = new OpenAI({ apiKey: 'sk-test', baseURL, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(completion.object).toBe('chat.completion');
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    expect(stdout).toBe(`${baseURL}\n`);
    // A real Node process: generous, explicit, for a busy machine.
  }, 120_000);
});
