import { runSweepCommand } from '../sweeper/run-sweep-command.ts';

process.exitCode = await runSweepCommand(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
});
