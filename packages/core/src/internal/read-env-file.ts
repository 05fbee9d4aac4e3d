import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import type * as NodeUtil from 'node:util';

/** What reading a `.env` file gave. */
export type EnvFileRead =
  | { readonly kind: 'loaded'; readonly path: string; readonly values: Readonly<Record<string, string>> }
  | { readonly kind: 'missing'; readonly path: string }
  | { readonly kind: 'unreadable'; readonly path: string; readonly problem: string }
  | {
      readonly kind: 'unsupported';
      readonly path: string;
      /** The Node version that cannot read it (too old for `process.getBuiltinModule` and `util.parseEnv`), or null outside Node. */
      readonly node: string | null;
    };

interface NodeModules {
  readonly fs: typeof NodeFs;
  readonly path: typeof NodePath;
  readonly util: typeof NodeUtil;
}

/** Node's modules, looked up only when a `.env` file is read, so that importing core stays runtime-neutral. */
function nodeModules(): NodeModules | null {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof process?.getBuiltinModule !== 'function') return null;
  const fs = process.getBuiltinModule('node:fs') as typeof NodeFs | undefined;
  const path = process.getBuiltinModule('node:path') as typeof NodePath | undefined;
  const util = process.getBuiltinModule('node:util') as typeof NodeUtil | undefined;
  if (fs === undefined || path === undefined || typeof util?.parseEnv !== 'function') return null;
  return { fs, path, util };
}

/** The running Node's version (`v20.11.1`), or null on another runtime. */
function nodeVersion(): string | null {
  const process = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  return typeof process?.versions?.node === 'string' ? `v${process.versions.node}` : null;
}

/** The lowest Node that reads `.env` files here: it has both `process.getBuiltinModule` and `util.parseEnv`. */
export const lowestNodeForEnvFiles = '22.12';

const errorCode = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : undefined;

/**
 * Reads and parses a `.env` file with Node's own `util.parseEnv` (the same syntax as
 * `node --env-file`). Never throws: a missing or unreadable file, or a runtime without
 * Node's file system, is reported as data.
 */
export function readEnvFile(
  file: string,
  cwd: string | undefined,
  modules: NodeModules | null = nodeModules(),
  node: string | null = nodeVersion(),
): EnvFileRead {
  if (modules === null) return { kind: 'unsupported', path: file, node };
  const path = modules.path.resolve(cwd ?? '.', file);
  let text: string;
  try {
    text = modules.fs.readFileSync(path, 'utf8');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return { kind: 'missing', path };
    return {
      kind: 'unreadable',
      path,
      problem: code === undefined ? 'it could not be read' : `it could not be read (${code})`,
    };
  }
  const parsed = modules.util.parseEnv(text);
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) if (value !== undefined) values[name] = value;
  return { kind: 'loaded', path, values };
}
