import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerAnswers, WorkerCommand, WorkerReply, WorkerRequest } from './worker-protocol.ts';

/** A worker process, seen from the parent. */
export interface Worker {
  /** Sends a command and resolves with its answer; rejects with the worker's error or when it dies. */
  run<C extends WorkerCommand>(command: C): Promise<WorkerAnswers[C['type']]>;
  /** Disconnects the worker and waits for it to exit. */
  stop(): Promise<void>;
}

const workerPath = fileURLToPath(new URL('./contender-worker.ts', import.meta.url));

/**
 * Starts a worker process (Node with the workspace's source condition, `--expose-gc`
 * when asked, and any other Node options, e.g. `--cpu-prof`). Its stdout is dropped and its stderr kept (the last few
 * KB) for error messages: the integration's warn-level logs land there.
 */
export function spawnWorker(
  options: { readonly exposeGc?: boolean; readonly nodeOptions?: readonly string[] } = {},
): Worker {
  const child = fork(workerPath, [], {
    execArgv: [
      '--conditions=@openai-integration/source',
      ...(options.exposeGc === true ? ['--expose-gc'] : []),
      ...(options.nodeOptions ?? []),
    ],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-4_000);
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      exited = true;
      for (const waiter of pending.values())
        waiter.reject(new Error(`the worker exited (code ${String(code)}):\n${stderr}`));
      pending.clear();
      resolve();
    });
  });
  child.on('message', (reply: WorkerReply) => {
    const waiter = pending.get(reply.id);
    if (waiter === undefined) return;
    pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(new Error(reply.message));
  });
  return {
    run<C extends WorkerCommand>(command: C) {
      return new Promise<WorkerAnswers[C['type']]>((resolve, reject) => {
        if (exited) {
          reject(new Error(`the worker has exited:\n${stderr}`));
          return;
        }
        const request: WorkerRequest = { id: nextId, command };
        pending.set(nextId, { resolve: resolve as (value: unknown) => void, reject });
        nextId += 1;
        child.send(request);
      });
    },
    async stop() {
      if (child.connected) child.disconnect();
      await exit;
    },
  };
}
