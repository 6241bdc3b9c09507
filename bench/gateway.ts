import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

/**
 * Gateway overhead, measured in one run against the same fake model called directly:
 * - added latency at concurrency 1 (p50/p99 of gateway minus direct, `performance.now()` per
 *   request, 1 KB prompt, blocks of direct and gateway requests interleaved so drift hits both);
 * - requests/s at concurrency 32 and the gateway process's CPU time per request (utime+stime
 *   from /proc, so the load generator's own CPU is not counted);
 * - the gateway's resident memory before and after 20,000 requests, plain and streaming.
 * Both with the built-in default policy and with scanning off. The fake model and the gateway
 * are separate processes.
 */

/** How a gateway process is started: Node flags and extra environment variables. */
interface Launch {
  readonly flags: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The launch recommended for `parapet serve` (docs/gateway.md, "Memory and performance").
 * The flags: V8 sizes its heap headroom from these limits; with Node's defaults (a young generation
 * sized for throughput and an old-space limit of several GB) the resident set settles near 350 MB
 * under load although the live heap is ~35 MB. The compile cache: Node keeps the type-stripped
 * sources there, so a start never loads its TypeScript stripper (a WebAssembly compiler that stays
 * resident once loaded; the gateway starts at ~103 MB instead of ~131 MB). MALLOC_ARENA_MAX is what
 * `parapet serve` sets for itself on Linux (bin/parapet.js); this bench starts the gateway without
 * that launcher, so it sets it here.
 */
const RECOMMENDED: Launch = {
  flags: ['--max-semi-space-size=8', '--max-old-space-size=1024'],
  env: { NODE_COMPILE_CACHE: join(tmpdir(), 'parapet-bench-compile-cache'), MALLOC_ARENA_MAX: '2' },
};
const NODE_DEFAULTS: Launch = { flags: [], env: {} };

const TARGETS = { addedP50Ms: 0.5, cpuPerRequestUs: 400, rssMb: 200 };
const LATENCY_SAMPLES = 3000;
const LOAD_REQUESTS = 20_000;
const CONCURRENCY = 32;

// A benign ~1 KB prompt: the bench measures the allowed path, which is what most traffic takes.
const PROMPT =
  'I am planning a two-week trip through France next spring with my family, two adults and two ' +
  'children aged eight and eleven. We would like to start in Paris, spend a few days visiting the ' +
  'museums and parks, then take the train south through the Loire valley to see a couple of castles, ' +
  'and finish on the Mediterranean coast near Nice. Could you suggest a rough itinerary with how many ' +
  'nights to spend in each place, which train connections make sense, and a few activities in each ' +
  'stop that children usually enjoy? We prefer small family-run hotels over large chains, we do not ' +
  'rent a car, and we would like at least one day without any sightseeing so everyone can rest. ' +
  'Please also mention roughly what the weather tends to be like in April and May, and whether we ' +
  'should book the trains and the popular museums in advance or can buy tickets on the day. Thank ' +
  'you very much for your help with this, we are really looking forward to the trip together.';
const PLAIN = JSON.stringify({
  model: 'bench-model',
  messages: [
    { role: 'system', content: 'You are a helpful travel assistant.' },
    { role: 'user', content: PROMPT },
  ],
});
const STREAMING = JSON.stringify({ ...(JSON.parse(PLAIN) as object), stream: true });

interface Child {
  readonly process: ChildProcess;
  readonly url: string;
  stop(): Promise<void>;
}

async function startChild(
  script: string,
  args: readonly string[],
  launch: Launch = NODE_DEFAULTS,
): Promise<Child> {
  const child = spawn(
    process.execPath,
    [...launch.flags, fileURLToPath(new URL(script, import.meta.url)), ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      env: { ...process.env, ...launch.env },
    },
  );
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => {
      reject(new Error(`${script} exited with ${code}`));
    });
  });
  lines.close();
  const { url } = JSON.parse(first) as { url: string };
  return {
    process: child,
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => {
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** CPU seconds (user + system) of a process, from /proc/PID/stat (fields 14 and 15, in clock ticks). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100; // USER_HZ, fixed at 100 on Linux for /proc (proc(5))
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

async function memory(child: ChildProcess): Promise<NodeJS.MemoryUsage> {
  const answer = new Promise<NodeJS.MemoryUsage>((resolve) =>
    child.once('message', (m) => {
      resolve(m as NodeJS.MemoryUsage);
    }),
  );
  child.send('memory');
  return answer;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return Number(kb) / 1024;
}

async function once(pool: Pool, body: string): Promise<void> {
  const response = await pool.request({
    path: '/v1/chat/completions',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}: ${text.slice(0, 300)}`);
}

async function load(pool: Pool, body: string, total: number, concurrency: number): Promise<number> {
  let started = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < total) {
        started++;
        await once(pool, body);
      }
    }),
  );
  return (performance.now() - t0) / 1000;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

interface Measured {
  readonly label: string;
  readonly direct: { p50: number; p99: number };
  readonly gateway: { p50: number; p99: number };
  readonly rps: number;
  readonly directRps: number;
  readonly cpuUs: number;
  readonly cpuStreamUs: number;
  /**
   * After warm-up, after the first round's 20k plain and then its 20k streamed requests, and after
   * a second round of both.
   */
  readonly rss: readonly [number, number, number, number];
}

async function measure(
  label: string,
  upstream: string,
  scanning: 'on' | 'off',
  launch: Launch,
  write: (line: string) => void,
): Promise<Measured> {
  const gateway = await startChild('./gateway-server.ts', [upstream, scanning], launch);
  const pid = gateway.process.pid!;
  const direct = new Pool(upstream, { connections: CONCURRENCY });
  const proxied = new Pool(gateway.url, { connections: CONCURRENCY });
  try {
    await load(direct, PLAIN, 2000, 8);
    await load(proxied, PLAIN, 2000, 8);
    await load(proxied, STREAMING, 1000, 8);

    const samples = { direct: [] as number[], gateway: [] as number[] };
    for (let block = 0; block < LATENCY_SAMPLES / 250; block++) {
      for (const [pool, into] of [
        [direct, samples.direct],
        [proxied, samples.gateway],
      ] as const) {
        for (let i = 0; i < 250; i++) {
          const t0 = performance.now();
          await once(pool, PLAIN);
          into.push(performance.now() - t0);
        }
      }
    }
    const stats = (xs: number[]): { p50: number; p99: number } => {
      xs.sort((a, b) => a - b);
      return { p50: percentile(xs, 0.5), p99: percentile(xs, 0.99) };
    };

    const directSeconds = await load(direct, PLAIN, LOAD_REQUESTS / 4, CONCURRENCY);
    const rssBefore = rssMb(pid);
    let cpu0 = cpuSeconds(pid);
    const seconds = await load(proxied, PLAIN, LOAD_REQUESTS, CONCURRENCY);
    let cpu1 = cpuSeconds(pid);
    const cpuUs = ((cpu1 - cpu0) / LOAD_REQUESTS) * 1e6;
    const rssPlain = rssMb(pid);
    cpu0 = cpuSeconds(pid);
    await load(proxied, STREAMING, LOAD_REQUESTS, CONCURRENCY);
    cpu1 = cpuSeconds(pid);
    const rssStream = rssMb(pid);
    // A second identical round: growth here, not in the first, would mean memory is not flat.
    await load(proxied, PLAIN, LOAD_REQUESTS, CONCURRENCY);
    await load(proxied, STREAMING, LOAD_REQUESTS, CONCURRENCY);
    const m = await memory(gateway.process);
    const mb = (x: number): string => (x / 1048576).toFixed(1);
    write(
      `  ${label}: heap used ${mb(m.heapUsed)} MB of ${mb(m.heapTotal)} MB, external ${mb(m.external)} MB, rss ${mb(m.rss)} MB`,
    );
    return {
      label,
      direct: stats(samples.direct),
      gateway: stats(samples.gateway),
      rps: LOAD_REQUESTS / seconds,
      directRps: LOAD_REQUESTS / 4 / directSeconds,
      cpuUs,
      cpuStreamUs: ((cpu1 - cpu0) / LOAD_REQUESTS) * 1e6,
      rss: [rssBefore, rssPlain, rssStream, rssMb(pid)],
    };
  } finally {
    await direct.close();
    await proxied.close();
    await gateway.stop();
  }
}

export async function run(write: (line: string) => void): Promise<void> {
  const upstream = await startChild('./fake-upstream.ts', []);
  try {
    // A deployment's first start fills the compile cache; this one does, so every measured start
    // reads from it.
    await (await startChild('./gateway-server.ts', [upstream.url, 'on'], RECOMMENDED)).stop();
    const results = [
      await measure('default policy', upstream.url, 'on', RECOMMENDED, write),
      await measure('scanning off', upstream.url, 'off', RECOMMENDED, write),
      await measure('Node defaults', upstream.url, 'on', NODE_DEFAULTS, write),
    ];
    const ms = (x: number): string => x.toFixed(3).padStart(8);
    write(
      `1 KB prompt; latency at concurrency 1 (${LATENCY_SAMPLES} samples each); load at concurrency ${CONCURRENCY}`,
    );
    write('');
    write(
      '                   direct p50 gateway p50  added p50 | direct p99 gateway p99  added p99 |   req/s (direct) | CPU µs/req plain stream | RSS MB warm → plain → stream → round 2',
    );
    for (const r of results) {
      write(
        `${r.label.padEnd(16)} ${ms(r.direct.p50)} ms ${ms(r.gateway.p50)} ms ${ms(r.gateway.p50 - r.direct.p50)} ms |` +
          ` ${ms(r.direct.p99)} ms ${ms(r.gateway.p99)} ms ${ms(r.gateway.p99 - r.direct.p99)} ms |` +
          ` ${r.rps.toFixed(0).padStart(6)} (${r.directRps.toFixed(0).padStart(6)}) |` +
          ` ${r.cpuUs.toFixed(0).padStart(10)} ${r.cpuStreamUs.toFixed(0).padStart(6)} |` +
          ` ${r.rss.map((x) => x.toFixed(1)).join(' → ')}`,
      );
    }
    const main = results[0]!;
    const added = main.gateway.p50 - main.direct.p50;
    const rssGrowth = main.rss[3] - main.rss[2];
    write('');
    write(
      `targets (default policy): added p50 ${added.toFixed(3)} ms ≤ ${TARGETS.addedP50Ms} ms: ${verdict(added <= TARGETS.addedP50Ms)}`,
    );
    write(
      `  CPU ${main.cpuUs.toFixed(0)} µs/request ≤ ${TARGETS.cpuPerRequestUs} µs: ${verdict(main.cpuUs <= TARGETS.cpuPerRequestUs)}`,
    );
    write(
      `  RSS max ${Math.max(...main.rss).toFixed(1)} MB ≤ ${TARGETS.rssMb} MB and flat (round 2 grew ${rssGrowth.toFixed(1)} MB < 10 MB): ` +
        verdict(Math.max(...main.rss) <= TARGETS.rssMb && rssGrowth < 10),
    );
  } finally {
    await upstream.stop();
  }
}

function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'FAIL';
}
