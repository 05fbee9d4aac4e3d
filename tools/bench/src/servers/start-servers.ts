import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Where the benchmark servers listen. */
export interface ServerUrls {
  /** The raw floor server's API base URL. */
  readonly raw: string;
  /** The raw server's always-failing API base URL (HTTP 500). */
  readonly failing: string;
  /** The testkit simulator's API base URL. */
  readonly simulator: string;
  /** A second simulator whose streams pause before each frame (the spread stream case). */
  readonly spread: string;
}

/** The running server process. */
export interface Servers {
  readonly urls: ServerUrls;
  stop(): Promise<void>;
}

const hostPath = fileURLToPath(new URL('./server-host.ts', import.meta.url));

/**
 * Starts the raw server and the simulator in a child process of their own and
 * resolves with their URLs once both listen; rejects if the process fails to start.
 */
export function startServers(options: {
  readonly streamChunks: number;
  readonly spreadStream: { readonly chunks: number; readonly intervalMs: number };
}): Promise<Servers> {
  const settings = [options.streamChunks, options.spreadStream.chunks, options.spreadStream.intervalMs].map(String);
  const child = fork(hostPath, settings, {
    execArgv: ['--conditions=@openai-integration/source'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  return new Promise<Servers>((resolve, reject) => {
    child.once('message', (message: { readonly type: string; readonly urls: ServerUrls }) => {
      resolve({
        urls: message.urls,
        stop: async () => {
          if (child.connected) child.disconnect();
          await exited;
        },
      });
    });
    child.once('exit', (code) => {
      reject(new Error(`the server process exited with code ${String(code)} before listening:\n${stderr}`));
    });
  });
}
