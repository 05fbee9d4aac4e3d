import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** A forked worker process: its first message, and the process to signal. */
export interface Worker {
  readonly child: ChildProcess;
  /** Tells the worker to start its task. */
  go(): void;
  /** The worker's report. */
  readonly report: Promise<unknown>;
  readonly exited: Promise<void>;
}

export function forkWorker(task: Record<string, unknown>): Worker {
  const child = fork(workerPath, [JSON.stringify(task)], {
    execArgv: ['--conditions=@openai-integration/source'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const report = new Promise<unknown>((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code, signal) => {
      reject(new Error(`the worker exited (${String(code ?? signal)}) before it reported`));
    });
  });
  // A worker killed on purpose never reports: that rejection is expected, not unhandled.
  report.catch(() => undefined);
  return {
    child,
    go: () => {
      child.send('go');
    },
    report,
    exited,
  };
}
