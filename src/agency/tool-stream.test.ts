import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SseEvent } from '../core/provider.ts';
import { jsonEvent, sseEvent } from '../providers/sse.ts';
import { createCallJudge } from './judge.ts';
import { createToolStreamGuard } from './tool-stream.ts';
import { compileToolPolicy, type ToolPolicy, type ToolRuleSpec } from './tool-policy.ts';

/** Deterministic PRNG (mulberry32) so a failing case can be replayed from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Call {
  id: string;
  name: string;
  args: string;
}

const TOOLS = ['search_docs', 'send_email', 'delete_user', 'refund_order', 'run_shell'];

function randomPolicy(random: () => number): ToolPolicy {
  const rules: ToolRuleSpec[] = [];
  for (const name of TOOLS) {
    const roll = random();
    if (roll < 0.3) rules.push({ name, action: 'deny' });
    else if (roll < 0.6) rules.push({ name, action: 'allow', when: 'args.n > 50' });
    else if (roll < 0.8) rules.push({ name, action: 'allow' });
  }
  if (random() < 0.3) rules.unshift({ name: 'delete_*', action: 'deny' });
  return compileToolPolicy(
    { default: random() < 0.5 ? 'allow' : 'deny', rules },
    { policy: 'prop', version: '1' },
  );
}

function randomCalls(random: () => number, seed: number): Call[] {
  const count = 1 + Math.floor(random() * 3);
  return Array.from({ length: count }, (_, i) => {
    const name = TOOLS[Math.floor(random() * TOOLS.length)] ?? 'search_docs';
    const id = `call_${seed}_${i}`;
    // A unique marker: if any part of a denied call leaks, the marker shows up in the output.
    const args = JSON.stringify({
      n: Math.floor(random() * 100),
      marker: `MARK-${id}`,
      text: 'a "quoted" é 😀 value',
    });
    return { id, name, args };
  });
}

function pieces(text: string, random: () => number): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    const size = 1 + Math.floor(random() * 12);
    out.push(text.slice(at, at + size));
    at += size;
  }
  return out;
}

function openAiStream(calls: Call[], random: () => number, content: string): SseEvent[] {
  const envelope = { id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 1, model: 'm' };
  const chunk = (delta: object, finish: string | null = null) =>
    jsonEvent({ ...envelope, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const events = [chunk({ role: 'assistant', content: '' })];
  for (const part of pieces(content, random)) events.push(chunk({ content: part }));
  calls.forEach((call, index) => {
    events.push(
      chunk({
        tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
      }),
    );
    for (const part of pieces(call.args, random))
      events.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
  });
  events.push(chunk({}, 'tool_calls'));
  events.push(sseEvent({ data: '[DONE]' }));
  return events;
}

function anthropicStream(calls: Call[], random: () => number, content: string): SseEvent[] {
  const ev = (payload: { type: string }) => jsonEvent(payload, payload.type);
  const events = [
    ev({ type: 'message_start', message: { id: 'msg', content: [], stop_reason: null } } as { type: string }),
  ];
  events.push(
    ev({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } as {
      type: string;
    }),
  );
  for (const part of pieces(content, random)) {
    events.push(
      ev({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: part } } as {
        type: string;
      }),
    );
  }
  events.push(ev({ type: 'content_block_stop', index: 0 } as { type: string }));
  calls.forEach((call, i) => {
    const index = i + 1;
    events.push(
      ev({
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
      } as {
        type: string;
      }),
    );
    for (const part of pieces(call.args, random)) {
      events.push(
        ev({
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: part },
        } as { type: string }),
      );
    }
    events.push(ev({ type: 'content_block_stop', index } as { type: string }));
  });
  events.push(
    ev({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 5 } } as {
      type: string;
    }),
  );
  events.push(ev({ type: 'message_stop' }));
  return events;
}

interface Reassembled {
  content: string;
  calls: Call[];
  finish: unknown;
  raw: string;
}

function reassembleOpenAi(events: SseEvent[]): Reassembled {
  let content = '';
  const calls: Call[] = [];
  let finish: unknown;
  for (const event of events) {
    if (event.data === '[DONE]') continue;
    const data = JSON.parse(event.data) as {
      choices: { delta: Record<string, unknown>; finish_reason: unknown }[];
    };
    for (const choice of data.choices) {
      if (typeof choice.delta.content === 'string') content += choice.delta.content;
      const toolCalls = (choice.delta.tool_calls ?? []) as {
        index: number;
        id?: string;
        function: { name?: string; arguments?: string };
      }[];
      for (const delta of toolCalls) {
        const call = (calls[delta.index] ??= { id: '', name: '', args: '' });
        if (delta.id) call.id = delta.id;
        call.name += delta.function.name ?? '';
        call.args += delta.function.arguments ?? '';
      }
      if (choice.finish_reason !== null) finish = choice.finish_reason;
    }
  }
  // Array.from turns holes into undefined (every() would skip them).
  const dense: (Call | undefined)[] = Array.from(calls);
  assert.ok(!dense.includes(undefined), 'tool call indices have no gaps');
  return { content, calls, finish, raw: events.map((e) => e.raw).join('') };
}

function reassembleAnthropic(events: SseEvent[]): Reassembled {
  const blocks = new Map<number, { type: string; id: string; name: string; text: string }>();
  let finish: unknown;
  for (const event of events) {
    const data = JSON.parse(event.data) as Record<string, unknown> & { index: number };
    assert.equal(event.event, data.type, 'the event name matches the data type');
    if (data.type === 'content_block_start') {
      const block = data.content_block as { type: string; id?: string; name?: string };
      assert.ok(!blocks.has(data.index), 'block indices are not reused');
      blocks.set(data.index, { type: block.type, id: block.id ?? '', name: block.name ?? '', text: '' });
    } else if (data.type === 'content_block_delta') {
      const delta = data.delta as { text?: string; partial_json?: string };
      const block = blocks.get(data.index);
      assert.ok(block, 'a delta follows its block start');
      block.text += delta.text ?? delta.partial_json ?? '';
    } else if (data.type === 'message_delta') {
      finish = (data.delta as { stop_reason: unknown }).stop_reason;
    }
  }
  const ordered = [...blocks.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
  return {
    content: ordered
      .filter((b) => b.type === 'text')
      .map((b) => b.text)
      .join(''),
    calls: ordered
      .filter((b) => b.type === 'tool_use')
      .map((b) => ({ id: b.id, name: b.name, args: b.text })),
    finish,
    raw: events.map((e) => e.raw).join(''),
  };
}

async function runGuard(
  api: 'openai' | 'anthropic',
  policy: ToolPolicy,
  events: SseEvent[],
): Promise<SseEvent[]> {
  const judge = createCallJudge({
    policy,
    identity: { id: 'u', tenant: 't' },
    request: {},
    context: { untrusted: false, calls: {} },
  });
  const guard = createToolStreamGuard(api, judge);
  const out: SseEvent[] = [];
  for (const event of events) out.push(...(await guard.push(event)));
  out.push(...(await guard.end()));
  return out;
}

describe('tool stream guard: property over random streams and rule sets', () => {
  for (const api of ['openai', 'anthropic'] as const) {
    it(`${api}: nothing denied reaches the caller, nothing allowed is altered`, async () => {
      for (let seed = 1; seed <= 300; seed++) {
        const random = rng(seed);
        const policy = randomPolicy(random);
        const calls = randomCalls(random, seed);
        const content = random() < 0.5 ? 'Let me check that for you.' : '';
        const events =
          api === 'openai' ? openAiStream(calls, random, content) : anthropicStream(calls, random, content);
        const out = await runGuard(api, policy, events);
        const result = api === 'openai' ? reassembleOpenAi(out) : reassembleAnthropic(out);

        const expected = calls.filter((call) => {
          const args = JSON.parse(call.args) as unknown;
          const decision = policy.decideToolCall({
            tool: call.name,
            args,
            identity: { id: 'u', tenant: 't' },
            request: {},
            context: { untrusted: false, calls: {} },
          });
          return decision.action === 'allow';
        });
        const denied = calls.filter((c) => !expected.includes(c));
        const context = `seed ${seed}`;
        assert.deepEqual(result.calls, expected, context);
        for (const call of denied) {
          assert.ok(!result.raw.includes(`MARK-${call.id}`), `${context}: denied arguments leaked`);
          assert.ok(!result.raw.includes(`"${call.id}"`), `${context}: denied call id leaked`);
          assert.match(result.content, new RegExp(`tool call '${call.name}' was blocked`), context);
        }
        assert.ok(result.content.startsWith(content), `${context}: text is kept`);
        const stopped = api === 'openai' ? 'stop' : 'end_turn';
        const toolStop = api === 'openai' ? 'tool_calls' : 'tool_use';
        assert.equal(result.finish, expected.length === 0 ? stopped : toolStop, context);
        if (denied.length === 0) {
          assert.equal(
            result.raw,
            events.map((e) => e.raw).join(''),
            `${context}: an all-allowed stream is byte-identical`,
          );
        }
      }
    });
  }
});

describe('tool stream guard: edge cases', () => {
  const policy = compileToolPolicy(
    { default: 'deny', rules: [{ name: 'ok', action: 'allow' }] },
    { policy: 'p', version: '1' },
  );

  it('drops an OpenAI call whose stream ends before it completes', async () => {
    const events = openAiStream([{ id: 'c1', name: 'ok', args: '{"a":1}' }], rng(1), '').slice(0, -2);
    const out = await runGuard('openai', policy, events);
    assert.ok(!out.some((e) => e.data.includes('tool_calls')), 'no part of the incomplete call is sent');
  });

  it('drops an Anthropic tool_use block without its stop', async () => {
    const events = anthropicStream([{ id: 'c1', name: 'ok', args: '{"a":1}' }], rng(1), 'x');
    const cut = events.findIndex((e) => e.data.includes('input_json_delta'));
    const out = await runGuard('anthropic', policy, events.slice(0, cut + 1));
    assert.ok(!out.some((e) => e.data.includes('tool_use')));
  });

  it('denies a call whose held arguments exceed the limit', async () => {
    const judge = createCallJudge({
      policy,
      identity: { id: 'u', tenant: 't' },
      request: {},
      context: { untrusted: false, calls: {} },
    });
    const guard = createToolStreamGuard('openai', judge, { maxHeld: 10 });
    const out: SseEvent[] = [];
    for (const event of openAiStream(
      [{ id: 'c1', name: 'ok', args: JSON.stringify({ a: 'x'.repeat(50) }) }],
      rng(2),
      '',
    )) {
      out.push(...(await guard.push(event)));
    }
    assert.equal(reassembleOpenAi(out).calls.length, 0);
    assert.match(guard.outcomes[0]?.verdict.reason ?? '', /size limit/);
  });

  it('passes non-JSON and unrelated events through untouched', async () => {
    const comment: SseEvent = { data: '', raw: ': keep-alive\n\n' };
    const ping = jsonEvent({ type: 'ping' }, 'ping');
    assert.deepEqual(await runGuard('anthropic', policy, [comment, ping]), [comment, ping]);
  });
});

describe('tool stream guard: custom tools', () => {
  it('holds streamed custom-tool input and judges it as args.input', async () => {
    const policy = compileToolPolicy(
      { default: 'deny', rules: [{ name: 'shell', action: 'allow', when: "args.input.startsWith('ls')" }] },
      { policy: 'p', version: '1' },
    );
    const stream = (input: string) => {
      const chunk = (delta: object, finish: string | null = null) =>
        jsonEvent({
          id: 'x',
          object: 'chat.completion.chunk',
          choices: [{ index: 0, delta, finish_reason: finish }],
        });
      return [
        chunk({ tool_calls: [{ index: 0, id: 'c1', type: 'custom', custom: { name: 'shell', input: '' } }] }),
        ...pieces(input, rng(3)).map((part) =>
          chunk({ tool_calls: [{ index: 0, custom: { input: part } }] }),
        ),
        chunk({}, 'tool_calls'),
        sseEvent({ data: '[DONE]' }),
      ];
    };
    const allowed = stream('ls -la /tmp');
    assert.deepEqual(await runGuard('openai', policy, allowed), allowed);
    const denied = await runGuard('openai', policy, stream('rm -rf / --no-preserve-root'));
    assert.ok(!denied.some((e) => e.data.includes('preserve')), 'no piece of the denied input leaks');
    assert.ok(denied.some((e) => e.data.includes("tool call 'shell' was blocked")));
  });
});
