import { readFile } from 'node:fs/promises';
import os from 'node:os';

/** The machine a run was made on. */
export interface MachineInfo {
  /** Cores available to the process (what `nproc` prints). */
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryBytes: number;
  readonly nodeVersion: string;
  readonly platform: string;
  /** 1-minute load average when the description was taken. */
  readonly loadAverage: number;
}

/** Describes this machine: cores, CPU model (from /proc/cpuinfo where there is one), memory, Node, OS and load. */
export async function describeMachine(): Promise<MachineInfo> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const cpuModel = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    cores: os.availableParallelism(),
    cpuModel,
    memoryBytes: os.totalmem(),
    nodeVersion: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg()[0] ?? 0,
  };
}
