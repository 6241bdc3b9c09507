import type { OutputGuard } from '../src/core/guard.ts';
import type { SseEvent } from '../src/core/provider.ts';
import { guardStream } from '../src/gateway/stream-guard.ts';
import { compileGuard } from '../src/policy/engine.ts';
import { defaultPolicy } from '../src/policy/default-policy.ts';
import { openaiAdapter } from '../src/providers/openai.ts';
import { SseParser, jsonEvent, sseEvent } from '../src/providers/sse.ts';

/**
 * Streaming output cost: one OpenAI chat answer of 2,000 deltas (~4 characters each, ~8,000
 * characters, as a model streams tokens) through the SSE parser and the stream guard. Prints CPU
 * time per answer and per delta for: parsing alone, the guard in passthrough, the guard with a
 * one-regex output check (hold-back 13), and the built-in default policy's output checks.
 */
export async function run(write: (line: string) => void): Promise<void> {
  const words = 'the model streams an answer token by token while Parapet scans it for leaks '.split(' ');
  const events: SseEvent[] = [];
  for (let i = 0; i < 2000; i++) {
    const content = `${words[i % words.length] ?? ''} `;
    const choices = [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }];
    events.push(
      jsonEvent({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices }),
    );
  }
  events.push(sseEvent({ data: '[DONE]' }));
  const wire = events.map((e) => e.raw).join('');

  const conversation = openaiAdapter.parseRequest('chat', {
    model: 'm',
    messages: [{ role: 'user', content: 'hi' }],
  });
  const guard = compileGuard([defaultPolicy()]);
  const meta = { requestId: 'bench', identity: 'anonymous' };
  const regexGuard: OutputGuard = {
    holdback: 13,
    passthrough: false,
    scan: (text) => ({
      decisions: [],
      rewrites: [...text.matchAll(/SECRET-[A-Z0-9]{6}/g)].map((m) => ({
        start: m.index,
        end: m.index + 13,
        replacement: 'x',
      })),
    }),
  };

  const cases: { name: string; output?: () => OutputGuard }[] = [
    { name: 'parse only' },
    { name: 'guard, passthrough', output: () => ({ ...regexGuard, holdback: 0, passthrough: true }) },
    { name: 'guard, one regex (hold-back 13)', output: () => regexGuard },
    { name: 'guard, default policy', output: () => guard.begin(conversation, meta).output },
  ];
  write(`answer: ${events.length - 1} deltas, ${wire.length} bytes of SSE`);
  for (const { name, output } of cases) {
    const once = async (): Promise<void> => {
      const parser = new SseParser();
      const parsed = [...parser.push(wire), ...parser.end()];
      if (output === undefined) return;
      const guarded = output();
      let bytes = 0;
      for await (const text of guardStream(from(parsed), {
        adapter: openaiAdapter,
        endpoint: 'chat',
        output: guarded,
      })) {
        bytes += text.length;
      }
      if (bytes !== wire.length) throw new Error(`${name}: output changed (${bytes} bytes)`);
    };
    for (let i = 0; i < 5; i++) await once();
    const rounds = 30;
    const cpu = process.cpuUsage();
    for (let i = 0; i < rounds; i++) await once();
    const used = process.cpuUsage(cpu);
    const perAnswerMs = (used.user + used.system) / 1000 / rounds;
    const holdback = output?.().holdback;
    write(
      `${name.padEnd(34)} ${perAnswerMs.toFixed(2).padStart(7)} ms CPU per answer, ` +
        `${((perAnswerMs * 1000) / (events.length - 1)).toFixed(2).padStart(6)} µs per delta` +
        (holdback === undefined ? '' : ` (hold-back ${holdback})`),
    );
  }
}

async function* from(events: readonly SseEvent[]): AsyncGenerator<SseEvent> {
  for (const event of events) {
    await Promise.resolve();
    yield event;
  }
}
