import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How to get a Redis for the tests, said when there is none. */
const howToGetOne =
  'these tests need a real redis-server: install it (as root: apt-get install -y redis-server; ' +
  'the test run does this by itself when it runs as root), or set REDIS_URL to a running server';

const hasRedisServer = (): boolean => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Makes sure `redis-server` is on PATH: when it is missing and the run is root (as in
 * CI), installs Debian's package; otherwise throws with how to get one.
 */
export function ensureRedisServer(): void {
  if (hasRedisServer()) return;
  if (process.getuid?.() !== 0) throw new Error(`redis-server is not installed: ${howToGetOne}`);
  console.warn('[tests] installing redis-server with apt-get');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', 'redis-server'],
  ]) {
    const result = spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(`apt-get ${args.join(' ')} failed (${result.stderr.slice(-500)}): ${howToGetOne}`);
  }
  if (!hasRedisServer()) throw new Error(`redis-server is still missing after apt-get: ${howToGetOne}`);
}

/** A free loopback port (free when asked: the server takes it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** A private redis-server for a test run. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** The running process (changes after `restart`). */
  process(): ChildProcess;
  /** Sends a signal to the server (SIGKILL, SIGSTOP, SIGCONT). */
  signal(signal: NodeJS.Signals): void;
  /** Starts it again on the same port, empty (after a SIGKILL). */
  restart(): Promise<void>;
  /** Stops it and removes its folder. */
  stop(): Promise<void>;
}

function launch(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const { stdout, stderr } = child;
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        stdout.off('data', onData);
        stdout.resume();
        child.off('exit', onExit);
        resolve(child);
      }
    };
    const onExit = (code: number | null): void => {
      reject(new Error(`redis-server exited with ${String(code)} before it was ready: ${output.slice(-1_000)}`));
    };
    stdout.on('data', onData);
    stderr.resume();
    child.once('exit', onExit);
    child.once('error', reject);
  });
}

/** Starts redis-server on a free loopback port with its own folder, no persistence. */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-store-test-'));
  const port = await freePort();
  let child = await launch(port, dir);
  const exited = (process: ChildProcess): Promise<void> =>
    process.exitCode !== null || process.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => {
          process.once('exit', () => {
            resolve();
          });
        });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    process: () => child,
    signal: (signal) => {
      child.kill(signal);
    },
    restart: async () => {
      await exited(child);
      child = await launch(port, dir);
    },
    stop: async () => {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
