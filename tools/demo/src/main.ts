import { fileURLToPath } from 'node:url';
import { runDemo } from './run-demo.ts';
import { createStyle } from './terminal.ts';

const help = `Usage: npm run demo [-- --offline] [-- --seed N]

Shows the integration end to end: a chat answer, a streamed answer, retries with
backoff, a circuit breaker with a fallback model, a rate-limit pause, a filtered list,
the cost by model, and the OpenTelemetry span tree of a call with retries and a
fallback hop.

With OPENAI_API_KEY in the environment or in .env at the repository root, steps 1, 2,
6 and 7 call the real API (the configured model, tiny token limits); otherwise
everything runs against the bundled OpenAI simulator. Fault scenarios always use the
simulator.

Options:
  --offline   use the simulator even when a key is configured
  --seed N    seed of the simulator's generated text (default 42)
  --help      this text
`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(help);
  process.exit(0);
}
const seedIndex = args.indexOf('--seed');
const seed = seedIndex === -1 ? 42 : Number(args[seedIndex + 1]);
if (!Number.isInteger(seed)) {
  process.stderr.write('--seed takes a whole number\n');
  process.exit(2);
}
const root = fileURLToPath(new URL('../../..', import.meta.url));
const style = createStyle(process.stdout.isTTY && process.env['NO_COLOR'] === undefined);
const code = await runDemo({
  terminal: { line: (text = '') => process.stdout.write(`${text}\n`), write: (text) => process.stdout.write(text) },
  style,
  env: process.env,
  envDir: root,
  seed,
  offline: args.includes('--offline'),
});
process.exit(code);
