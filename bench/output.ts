import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Pool } from 'undici';
import { configSchema } from '../src/config/schema.ts';
import type { Guard, OutputGuard } from '../src/core/guard.ts';
import type { SseEvent } from '../src/core/provider.ts';
import { createGateway } from '../src/gateway/server.ts';
import { guardStream } from '../src/gateway/stream-guard.ts';
import { compileGuard } from '../src/policy/engine.ts';
import { defaultPolicy } from '../src/policy/default-policy.ts';
import { createPseudonymSession } from '../src/policy/pseudonyms.ts';
import { openaiAdapter } from '../src/providers/openai.ts';
import { SseParser, jsonEvent, sseEvent } from '../src/providers/sse.ts';

/**
 * Output handling cost (issue 4: the hold-back adds ≤ 1 ms to time to first token).
 *
 * 1. Time to first token through the gateway minus calling the fake model directly, p50/p99, with
 *    the default policy's output checks (secrets, links, system-prompt leak with its canary) on a
 *    request with a system prompt; the fake model streams deltas at a realistic pace (20 ms apart)
 *    and at full speed. Compared with the plain hold-back (no `pendingStart`): the bound it had.
 * 2. CPU per streamed delta of the stream guard with those checks, on a 2,000-delta answer.
 *
 * Gateway, fake model and client share this process (the numbers include that contention).
 */

const PACED_MS = 20;
const SAMPLES = { paced: 30, fast: 150 };
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

export async function run(write: (line: string) => void): Promise<void> {
  const fake = await startFake();
  const pending = compileGuard([defaultPolicy()], { pseudonymizer: createPseudonymSession });
  const guards: Record<string, Guard> = {
    'no scanning': compileGuard([], { scanning: false }),
    pendingStart: pending,
    'plain hold-back': withoutPending(pending),
  };
  const config = configSchema.parse({
    server: { host: '127.0.0.1', port: 0 },
    upstreams: [{ name: 'fake', baseUrl: `${fake.url}/v1` }],
  });
  let current: Guard = pending;
  const gateway = createGateway({ config, getGuard: () => current, log: pino({ level: 'silent' }) });
  const gatewayUrl = await gateway.listen();
  const direct = new Pool(fake.url, { connections: 1 });
  const viaGateway = new Pool(gatewayUrl, { connections: 1 });
  write('default policy output checks (secrets, links, systemPromptLeak), request with a system prompt');
  try {
    for (const pace of ['paced', 'fast'] as const) {
      for (const [name, guard] of Object.entries(guards)) {
        current = guard;
        const added: number[] = [];
        for (let i = 0; i < 5; i++) await firstToken(viaGateway, '/v1/chat/completions', pace);
        for (let i = 0; i < SAMPLES[pace]; i++) {
          // Interleaved so drift hits both.
          const d = await firstToken(direct, '/v1/chat/completions', pace);
          const g = await firstToken(viaGateway, '/v1/chat/completions', pace);
          added.push(g - d);
        }
        added.sort((a, b) => a - b);
        write(
          `TTFT added, ${pace === 'paced' ? `deltas ${PACED_MS} ms apart` : 'full speed'} (${name}): ` +
            `p50 ${percentile(added, 50).toFixed(2)} ms, p99 ${percentile(added, 99).toFixed(2)} ms ` +
            `(n=${added.length}, target p50 ≤ 1 ms)`,
        );
      }
    }
  } finally {
    await direct.close();
    await viaGateway.close();
    await gateway.close();
    fake.server.close();
  }
  await scanCost(write, pending, withoutPending(pending));
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
