import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { Pool } from 'undici';
import { configSchema } from '../src/config/schema.ts';
import type { Guard, OutputGuard } from '../src/core/guard.ts';
import type { SseEvent } from '../src/core/provider.ts';
import { createGateway } from '../src/gateway/server.ts';
import { guardStream } from '../src/gateway/stream-guard.ts';
import { compileGuard } from '../src/policy/engine.ts';
import { defaultPolicy } from '../src/policy/default-policy.ts';
import { openaiAdapter } from '../src/providers/openai.ts';
import { SseParser, jsonEvent, sseEvent } from '../src/providers/sse.ts';

/**
 * Output handling cost (issue 4: the hold-back adds ≤ 1 ms to time to first token).
 *
 * 1. Time to first token through the gateway minus calling the fake model directly, p50/p99, with
 *    the default policy (secrets, links, system-prompt leak with its canary) on a request with a
 *    system prompt; the fake model streams deltas at a realistic pace (20 ms apart) and at full
 *    speed. Three gateways: scanning off (the baseline), `pendingStart` (what ships), and the plain
 *    hold-back (`pendingStart` hidden: the bound before it). What the checks and the hold-back add
 *    is the `pendingStart` p50 minus the baseline p50. The gateway runs in its own process; the
 *    fake model and the client share this one.
 * 2. CPU per streamed delta of the stream guard with those checks, on a 2,000-delta answer.
 */

const PACED_MS = 20;
const SAMPLES = { paced: 40, fast: 150 };
const DELTAS = { paced: 8, fast: 200 };
const SYSTEM = 'You are a helpful travel assistant for Acme Trips. Answer briefly and politely.';
const WORDS = 'Paris in spring is lovely, take the train to Lyon and then on to Nice by the sea '.split(' ');

/** The same guard with `pendingStart` hidden: the stream guard falls back to the full hold-back. */
function withoutPending(guard: Guard): Guard {
  return {
    begin(conversation, meta) {
      const exchange = guard.begin(conversation, meta);
      const output = exchange.output;
      const plain: OutputGuard = {
        get holdback() {
          return output.holdback;
        },
        passthrough: output.passthrough,
        scan: (text, origin) => output.scan(text, origin),
      };
      return { policies: exchange.policies, checkInput: () => exchange.checkInput(), output: plain };
    },
  };
}

function chunk(content: string, finish: string | null = null): string {
  const choices = [{ index: 0, delta: { content }, logprobs: null, finish_reason: finish }];
  return `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices })}\n\n`;
}

async function startFake(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const paced = req.headers['x-bench-pace'] === 'paced';
      const count = paced ? DELTAS.paced : DELTAS.fast;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      void (async () => {
        for (let i = 0; i < count; i++) {
          res.write(chunk(`${i === 0 ? 'Sure' : (WORDS[i % WORDS.length] ?? '')} `));
          if (paced) await new Promise((resolve) => setTimeout(resolve, PACED_MS));
        }
        res.end(`${chunk('', 'stop')}data: [DONE]\n\n`);
      })();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const BODY = JSON.stringify({
  model: 'bench-model',
  stream: true,
  messages: [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: 'Plan a short trip through France.' },
  ],
});

/** Milliseconds from sending the request to the first byte of non-empty content. */
async function firstToken(pool: Pool, path: string, pace: 'paced' | 'fast'): Promise<number> {
  const started = performance.now();
  const { body } = await pool.request({
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', 'x-bench-pace': pace },
    body: BODY,
  });
  let ttft = -1;
  for await (const data of body) {
    if (ttft < 0 && /"content":"[^"]/.test((data as Buffer).toString('utf8')))
      ttft = performance.now() - started;
  }
  if (ttft < 0) throw new Error('no content arrived');
  return ttft;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

type Mode = 'no scanning' | 'input checks only' | 'pendingStart' | 'plain hold-back';
const MODES: readonly Mode[] = ['no scanning', 'input checks only', 'pendingStart', 'plain hold-back'];

function guardFor(mode: Mode): Guard {
  if (mode === 'no scanning') return compileGuard([], { scanning: false });
  if (mode === 'input checks only') {
    const defaults = defaultPolicy();
    const spec = { ...defaults.policy.spec, output: {} };
    return compileGuard([{ ...defaults, name: 'inputs-only', policy: { ...defaults.policy, spec } }]);
  }
  const guard = compileGuard([defaultPolicy()]);
  return mode === 'pendingStart' ? guard : withoutPending(guard);
}

/** The gateway in its own process, so the client's reads do not wait for the gateway's work. */
async function serveGateway(upstreamUrl: string, mode: Mode): Promise<void> {
  const config = configSchema.parse({
    server: { host: '127.0.0.1', port: 0 },
    upstreams: [{ name: 'fake', baseUrl: `${upstreamUrl}/v1` }],
  });
  const guard = guardFor(mode);
  const gateway = createGateway({ config, getGuard: () => guard, log: pino({ level: 'silent' }) });
  process.stdout.write(`${JSON.stringify({ url: await gateway.listen() })}\n`);
  process.once('SIGTERM', () => {
    void gateway.close().then(() => process.exit(0));
  });
}

async function startGatewayProcess(
  upstreamUrl: string,
  mode: Mode,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--gateway', upstreamUrl, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => {
      reject(new Error(`gateway process exited with ${code}`));
    });
  });
  lines.close();
  return { url: (JSON.parse(first) as { url: string }).url, child };
}

export async function run(write: (line: string) => void): Promise<void> {
  const fake = await startFake();
  const direct = new Pool(fake.url, { connections: 1 });
  write('default policy (secrets, links, systemPromptLeak with its canary), request with a system prompt;');
  write('gateway in its own process, fake model and client in this one');
  try {
    for (const pace of ['paced', 'fast'] as const) {
      const p50: Partial<Record<Mode, number>> = {};
      for (const mode of MODES) {
        const { url, child } = await startGatewayProcess(fake.url, mode);
        const viaGateway = new Pool(url, { connections: 1 });
        try {
          const added: number[] = [];
          for (let i = 0; i < 5; i++) await firstToken(viaGateway, '/v1/chat/completions', pace);
          for (let i = 0; i < SAMPLES[pace]; i++) {
            // Interleaved so drift hits both.
            const d = await firstToken(direct, '/v1/chat/completions', pace);
            const g = await firstToken(viaGateway, '/v1/chat/completions', pace);
            added.push(g - d);
          }
          added.sort((a, b) => a - b);
          p50[mode] = percentile(added, 50);
          write(
            `TTFT gateway − direct, ${pace === 'paced' ? `deltas ${PACED_MS} ms apart` : 'full speed'}, ${mode}: ` +
              `p50 ${percentile(added, 50).toFixed(2)} ms, p99 ${percentile(added, 99).toFixed(2)} ms (n=${added.length})`,
          );
        } finally {
          await viaGateway.close();
          child.kill('SIGTERM');
          await once(child, 'exit');
        }
      }
      const output = (p50.pendingStart ?? Number.NaN) - (p50['input checks only'] ?? Number.NaN);
      const all = (p50.pendingStart ?? Number.NaN) - (p50['no scanning'] ?? Number.NaN);
      write(
        `=> output checks + hold-back add ${output.toFixed(2)} ms p50 to TTFT over the input checks alone ` +
          `(target ≤ 1 ms); all checks add ${all.toFixed(2)} ms over no scanning (${pace})`,
      );
    }
  } finally {
    await direct.close();
    fake.server.close();
  }
  await scanCost(write, guardFor('pendingStart'), guardFor('plain hold-back'));
}

/** CPU per delta of the stream guard alone on a 2,000-delta answer. */
async function scanCost(write: (line: string) => void, pending: Guard, plain: Guard): Promise<void> {
  const events: SseEvent[] = [];
  for (let i = 0; i < 2000; i++) {
    const choices = [
      { index: 0, delta: { content: `${WORDS[i % WORDS.length] ?? ''} ` }, finish_reason: null },
    ];
    events.push(jsonEvent({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices }));
  }
  events.push(sseEvent({ data: '[DONE]' }));
  const wire = events.map((e) => e.raw).join('');
  const conversation = openaiAdapter.parseRequest('chat', JSON.parse(BODY) as Record<string, unknown>);
  const meta = { requestId: 'bench', identity: 'anonymous' };
  for (const [name, guard] of [
    ['pendingStart', pending],
    ['plain hold-back', plain],
  ] as const) {
    const once = async (): Promise<void> => {
      const parser = new SseParser();
      const parsed = [...parser.push(wire), ...parser.end()];
      const exchange = guard.begin(conversation, meta);
      await exchange.checkInput();
      let bytes = 0;
      for await (const text of guardStream(from(parsed), {
        adapter: openaiAdapter,
        endpoint: 'chat',
        output: exchange.output,
      }))
        bytes += text.length;
      if (bytes === 0) throw new Error('the guard released nothing');
    };
    for (let i = 0; i < 3; i++) await once();
    const rounds = 20;
    const cpu = process.cpuUsage();
    for (let i = 0; i < rounds; i++) await once();
    const used = process.cpuUsage(cpu);
    const perDeltaUs = (used.user + used.system) / rounds / 2000;
    write(
      `output scan cost (${name}): ${perDeltaUs.toFixed(2)} µs CPU per delta (parse + guard, 2,000 deltas)`,
    );
  }
}

async function* from(events: readonly SseEvent[]): AsyncGenerator<SseEvent> {
  for (const event of events) {
    // One event per turn, as a socket delivers them.
    await Promise.resolve();
    yield event;
  }
}

if (import.meta.main && process.argv[2] === '--gateway') {
  await serveGateway(process.argv[3] ?? '', (process.argv[4] ?? 'pendingStart') as Mode);
}
