import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { contenderNames, type ContenderName } from './contenders/contender.ts';
import { summarizeCpuProfile, type CpuProfile, type SelfTime } from './profile/summarize-cpu-profile.ts';
import { startServers } from './servers/start-servers.ts';
import { spawnWorker } from './worker/spawn-worker.ts';

const help = `Usage: node --conditions=@openai-integration/source src/profile.ts [options]

Profiles one client's hot path with node --cpu-prof against the raw server and prints
where the time went (self time by function and by file). The .cpuprofile goes to a
temporary folder that is removed afterwards unless --keep is given.

Options:
  --contender NAME   ${contenderNames.join(', ')} (default operations)
  --case NAME        chat (default), chat-64 (64 in flight) or stream
  --calls N          calls or streams to profile (default 20000 for chat, 200 for stream)
  --keep             keep the .cpuprofile and print its path
`;

const { values } = parseArgs({
  options: {
    contender: { type: 'string' },
    case: { type: 'string' },
    calls: { type: 'string' },
    keep: { type: 'boolean' },
    help: { type: 'boolean' },
  },
});
if (values.help === true) {
  process.stdout.write(help);
  process.exit(0);
}
const contender = (values.contender ?? 'operations') as ContenderName;
const profiledCase = values.case ?? 'chat';
if (!contenderNames.includes(contender) || !['chat', 'chat-64', 'stream'].includes(profiledCase)) {
  process.stderr.write(help);
  process.exit(2);
}
const calls = Number(values.calls ?? (profiledCase === 'stream' ? 200 : 20_000));

const directory = await mkdtemp(join(os.tmpdir(), 'bench-profile-'));
const servers = await startServers({ streamChunks: 1_000, spreadStream: { chunks: 50, intervalMs: 4 } });
try {
  const worker = spawnWorker({ nodeOptions: ['--cpu-prof', `--cpu-prof-dir=${directory}`] });
  const baseURL = servers.urls.raw;
  await worker.run({ type: 'warm-up', contender, baseURL, calls: 200, streams: 5 });
  if (profiledCase === 'stream') await worker.run({ type: 'stream', contender, baseURL, streams: calls });
  else
    await worker.run({ type: 'throughput', contender, baseURL, concurrency: profiledCase === 'chat' ? 1 : 64, calls });
  await worker.stop();
} finally {
  await servers.stop();
}

const file = (await readdir(directory)).find((name) => name.endsWith('.cpuprofile'));
if (file === undefined) throw new Error(`no profile was written to ${directory}`);
const summary = summarizeCpuProfile(JSON.parse(await readFile(join(directory, file), 'utf8')) as CpuProfile, 30);
const lines = (rows: readonly SelfTime[]) =>
  rows
    .map((row) => `${row.selfMs.toFixed(0).padStart(7)} ms ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.name}`)
    .join('\n');
process.stdout.write(
  `${contender}, ${profiledCase}, ${calls} ${profiledCase === 'stream' ? 'streams' : 'calls'} (plus warm-up): ${summary.totalMs.toFixed(0)} ms sampled\n\nSelf time by file:\n${lines(summary.byFile)}\n\nSelf time by function:\n${lines(summary.byFunction)}\n`,
);
if (values.keep === true) process.stdout.write(`\nprofile: ${join(directory, file)}\n`);
else await rm(directory, { recursive: true, force: true });
