#!/usr/bin/env node
import { runCli } from '../internal/cli/run-cli.ts';
import { startOtlpExport } from '../telemetry/start-otlp-export.ts';

// Before anything else: the operations read the global meter provider when they are created.
const telemetry = await startOtlpExport(process.env, (message) => process.stderr.write(`openai-mcp: ${message}\n`));

const running = await runCli({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void running.stop();
  });
}
const code = await running.done;
await telemetry?.shutdown();
// Open keep-alive sockets of the OpenAI client must not hold the process after a clean stop.
process.exit(code);
