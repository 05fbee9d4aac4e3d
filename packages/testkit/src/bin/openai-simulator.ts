#!/usr/bin/env node
import { runCli } from '../internal/cli/run-cli.ts';

const run = await runCli(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  onSignal: (signal, listener) => process.once(signal, listener),
});
process.exitCode = run.exitCode;
await run.closed;
