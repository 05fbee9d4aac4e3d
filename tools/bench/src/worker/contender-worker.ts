import { measureMemory } from '../cases/memory-case.ts';
import { measureStream } from '../cases/stream-case.ts';
import { measureThroughput } from '../cases/throughput-case.ts';
import type { Contender, ContenderName } from '../contenders/contender.ts';
import { createContender } from '../contenders/create-contender.ts';
import type { WorkerAnswers, WorkerCommand, WorkerReply, WorkerRequest } from './worker-protocol.ts';

/*
 * A process that runs the commands of the parent, one at a time, over IPC. Each
 * contender gets processes of its own, so that libraries do not share a heap, a JIT
 * profile or a connection pool with each other.
 */
const contenders = new Map<string, Promise<Contender>>();
const contenderFor = (name: ContenderName, baseURL: string): Promise<Contender> => {
  const key = `${name} ${baseURL}`;
  let contender = contenders.get(key);
  if (contender === undefined) {
    contender = createContender(name, baseURL);
    contenders.set(key, contender);
  }
  return contender;
};

async function run(command: WorkerCommand): Promise<WorkerAnswers[WorkerCommand['type']]> {
  switch (command.type) {
    case 'warm-up': {
      const contender = await contenderFor(command.contender, command.baseURL);
      for (let call = 0; call < command.calls; call += 1) await contender.chat();
      for (let stream = 0; stream < command.streams; stream += 1) await contender.stream();
      return null;
    }
    case 'throughput':
      return measureThroughput(await contenderFor(command.contender, command.baseURL), command);
    case 'stream':
      return measureStream(await contenderFor(command.contender, command.baseURL), command);
    case 'memory': {
      const { gc } = globalThis;
      if (gc === undefined) throw new Error('the memory case needs node --expose-gc');
      return measureMemory(await contenderFor(command.contender, command.baseURL), {
        ...command,
        collect: () => {
          gc();
        },
      });
    }
    case 'fast-fail':
      // Imported here so that the other contenders' processes never load the integration.
      return (await import('../cases/fast-fail-case.ts')).measureFastFail(command);
    case 'rate-limit':
      // A fresh process per run: it loads only the client it measures.
      return (await import('../cases/rate-limit-case.ts')).measureRateLimited(command);
  }
}

process.on('message', (request: WorkerRequest) => {
  void run(request.command).then(
    (value) => {
      const reply: WorkerReply = { id: request.id, ok: true, value };
      process.send?.(reply);
    },
    (error: unknown) => {
      const reply: WorkerReply = {
        id: request.id,
        ok: false,
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      };
      process.send?.(reply);
    },
  );
});
process.on('disconnect', () => {
  process.exit(0);
});
