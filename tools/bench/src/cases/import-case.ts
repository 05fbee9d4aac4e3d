import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** How a package is imported: its published build (`dist/`) or its TypeScript sources (the workspace condition). */
export type ImportMode = 'dist' | 'source';

// Runs in the child: the time `import()` takes, on a process that has loaded nothing else.
const script = (specifier: string): string =>
  `const started = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - started));`;

/**
 * Measures the cold import time of `specifier` in `runs` fresh Node processes (one
 * after the other, started in `cwd` so that the package resolves as it does for the
 * benchmark) and returns each time in ms. Rejects when the import fails.
 */
export async function measureImport(
  specifier: string,
  options: { readonly mode: ImportMode; readonly runs: number; readonly cwd: string },
): Promise<number[]> {
  const times: number[] = [];
  const conditions = options.mode === 'source' ? ['--conditions=@openai-integration/source'] : [];
  for (let index = 0; index < options.runs; index += 1) {
    const { stdout } = await run(process.execPath, [...conditions, '--input-type=module', '-e', script(specifier)], {
      cwd: options.cwd,
      timeout: 60_000,
    });
    times.push(Number(stdout));
  }
  return times;
}
