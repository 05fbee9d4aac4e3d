// Loaded with `node --import`: records every module the process resolves (imports and
// requires) and writes the list to the file named by RECORD_MODULES_FILE at exit.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const seen = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    seen.add(resolved.url);
    return resolved;
  },
});
process.on('exit', () => {
  const file = process.env['RECORD_MODULES_FILE'];
  if (file !== undefined) writeFileSync(file, JSON.stringify([...seen]));
});
