import { describe, expect, it } from 'vitest';
import { runCli, usage, type CliIo } from './run-cli.ts';

function capture(): CliIo & {
  readonly out: string[];
  readonly err: string[];
  readonly signals: Map<string, () => void>;
} {
  const out: string[] = [];
  const err: string[] = [];
  const signals = new Map<string, () => void>();
  return {
    out,
    err,
    signals,
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    onSignal: (signal, listener) => signals.set(signal, listener),
  };
}

describe('runCli', () => {
  it('prints the help on stderr and exits 0 for --help', async () => {
    const io = capture();
    expect(await runCli(['--help'], io)).toEqual({ exitCode: 0 });
    expect(io.err).toEqual([usage]);
    expect(io.out).toEqual([]);
  });

  it.each([
    [['--port', 'abc']],
    [['--port', '-1']],
    [['--seed', '1.5']],
    [['--requests-per-minute', '0']],
    [['--bogus']],
    [['positional']],
    [['--profile', 'bogus']],
    [['--deployment', 'chat']],
    [['--deployment', 'chat=a=b']],
    [['--deployment', '=gpt-4o']],
  ])('rejects %j with usage on stderr and exit code 2', async (argv) => {
    const io = capture();
    expect((await runCli(argv, io)).exitCode).toBe(2);
    expect(io.err[0]).toContain('Usage: openai-simulator');
    expect(io.out).toEqual([]);
  });

  it('prints exactly the base URL and stops on SIGTERM', async () => {
    const io = capture();
    const run = await runCli(['--port', '0', '--seed', '3', '--tokens-per-minute', '1000', '--api-key', 'sk-only'], io);
    expect(run.exitCode).toBe(0);
    expect(io.out).toEqual([run.simulator?.baseURL]);
    const response = await fetch(`${run.simulator?.baseURL ?? ''}/models`, {
      headers: { authorization: 'Bearer sk-only' },
    });
    expect(response.headers.get('x-ratelimit-limit-tokens')).toBeNull();
    expect(response.status).toBe(200);
    const denied = await fetch(`${run.simulator?.baseURL ?? ''}/models`, {
      headers: { authorization: 'Bearer sk-other' },
    });
    expect(denied.status).toBe(401);
    io.signals.get('SIGTERM')?.();
    io.signals.get('SIGINT')?.();
    await run.closed;
    await expect(fetch(`${run.simulator?.baseURL ?? ''}/models`)).rejects.toThrow();
  });

  it('names the profiles when --profile is unknown', async () => {
    const io = capture();
    await runCli(['--profile', 'ollama'], io);
    expect(io.err[0]).toMatch(/^--profile needs one of openai, azure, compatible, got 'ollama'/);
  });

  it('serves the azure profile with its deployments: the base URL is the v1 API, the deployment API beside it', async () => {
    const io = capture();
    const run = await runCli(
      ['--port', '0', '--profile', 'azure', '--deployment', 'chat=gpt-4o-mini', '--api-key', 'azure-key'],
      io,
    );
    const endpoint = run.simulator?.endpoint ?? '';
    expect(io.out).toEqual([`${endpoint}/openai/v1`]);
    const response = await fetch(`${endpoint}/openai/deployments/chat/chat/completions?api-version=2024-10-21`, {
      method: 'POST',
      headers: { 'api-key': 'azure-key', 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ model: 'gpt-4o-mini' });
    io.signals.get('SIGTERM')?.();
    await run.closed;
  });

  it('serves the compatible profile with the models given', async () => {
    const io = capture();
    const run = await runCli(
      ['--port', '0', '--profile', 'compatible', '--model', 'llama3.1:8b', '--model', 'phi4'],
      io,
    );
    const response = await fetch(`${run.simulator?.baseURL ?? ''}/models`);
    expect(((await response.json()) as { data: { id: string }[] }).data.map((model) => model.id)).toEqual([
      'llama3.1:8b',
      'phi4',
    ]);
    io.signals.get('SIGTERM')?.();
    await run.closed;
  });

  it('exits 1 with a message when the port is taken', async () => {
    const io = capture();
    const first = await runCli(['--port', '0'], io);
    const taken = await runCli(['--port', String(first.simulator?.port)], io);
    expect(taken.exitCode).toBe(1);
    expect(io.err.at(-1)).toMatch(/^openai-simulator: cannot listen: .*EADDRINUSE/);
    io.signals.get('SIGINT')?.();
    await first.closed;
  });
});
