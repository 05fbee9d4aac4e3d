import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A running simulator that enforces a rate limit. */
export interface LimitedSimulator {
  readonly baseURL: string;
  stop(): Promise<void>;
}

const hostPath = fileURLToPath(new URL('./limited-simulator-host.ts', import.meta.url));

/**
 * Starts the testkit simulator in a child process of its own, enforcing
 * `requestsPerMinute` and `tokensPerMinute` (buckets that start full and refill over a
 * minute, with OpenAI's headers), and resolves with its URL once it listens.
 */
export function startLimitedSimulator(limits: {
  readonly requestsPerMinute: number;
  readonly tokensPerMinute: number;
}): Promise<LimitedSimulator> {
  const child = fork(hostPath, [String(limits.requestsPerMinute), String(limits.tokensPerMinute)], {
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
  return new Promise<LimitedSimulator>((resolve, reject) => {
    child.once('message', (message: { readonly baseURL: string }) => {
      resolve({
        baseURL: message.baseURL,
        stop: async () => {
          if (child.connected) child.disconnect();
          await exited;
        },
      });
    });
    child.once('exit', (code) => {
      reject(new Error(`the limited simulator exited with code ${String(code)} before listening:\n${stderr}`));
    });
  });
}
