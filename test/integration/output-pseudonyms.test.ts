import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { openaiChatStream, sendJson, sendSse } from './fake-model.ts';
import { openaiToolCallStream, useOutputGateway } from './output-harness.ts';

const EMAIL = 'alice.smith@example.org';
const PLACEHOLDER = '<EMAIL_ADDRESS_1>';

function completion(message: Record<string, unknown>): Record<string, unknown> {
  return {
    id: 'chatcmpl-p',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-test',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop' }],
  };
}

describe('pseudonymisation through the gateway (OpenAI client)', () => {
  const ctx = useOutputGateway((url) => new OpenAI({ baseURL: `${url}/v1`, apiKey: 'k', maxRetries: 0 }));

  const ask = [{ role: 'user' as const, content: `Please write to ${EMAIL} about my order.` }];

  it('hides the address from the model and restores it in a non-streamed answer', async () => {
    ctx.fake.script((_request, res) => {
      sendJson(res, 200, completion({ content: `I will write to ${PLACEHOLDER} today.` }));
    });
    const answer = await ctx.client.chat.completions.create({ model: 'gpt-test', messages: ask });
    assert.equal(answer.choices[0]?.message.content, `I will write to ${EMAIL} today.`);
    const received = ctx.fake.received.at(-1);
    assert.ok(received !== undefined);
    assert.ok(!received.body.includes(EMAIL), 'the model saw the address');
    assert.ok(received.body.includes(PLACEHOLDER));
  });

  it('restores a placeholder split across stream chunks', async () => {
    ctx.fake.script(async (_request, res) => {
      await sendSse(res, openaiChatStream(['Writing to <EMAIL_', 'ADD', 'RESS_1', '> now.']));
    });
    const stream = await ctx.client.chat.completions.create({
      model: 'gpt-test',
      messages: ask,
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, `Writing to ${EMAIL} now.`);
    assert.ok(!ctx.fake.received.at(-1)?.body.includes(EMAIL));
  });

  it('restores the address in tool-call arguments, streamed and not', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'send_email',
          parameters: { type: 'object', properties: { to: { type: 'string' } } },
        },
      },
    ];
    ctx.fake.script((_request, res) => {
      sendJson(
        res,
        200,
        completion({
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'send_email', arguments: `{"to":"${PLACEHOLDER}"}` },
            },
          ],
        }),
      );
    });
    const answer = await ctx.client.chat.completions.create({ model: 'gpt-test', messages: ask, tools });
    const call = answer.choices[0]?.message.tool_calls?.[0];
    assert.ok(call?.type === 'function');
    assert.deepEqual(JSON.parse(call.function.arguments), { to: EMAIL });

    ctx.fake.script(async (_request, res) => {
      await sendSse(res, openaiToolCallStream('send_email', ['{"to":"<EMAIL', '_ADDRESS_1>"}']));
    });
    const stream = await ctx.client.chat.completions.create({
      model: 'gpt-test',
      messages: ask,
      tools,
      stream: true,
    });
    let args = '';
    for await (const chunk of stream)
      args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
    assert.deepEqual(JSON.parse(args), { to: EMAIL });
  });

  it('gives the same placeholder when the ctx.client sends the conversation back', async () => {
    ctx.fake.script((_request, res) => {
      sendJson(res, 200, completion({ content: 'Done.' }));
    });
    const other = 'bob@example.net';
    await ctx.client.chat.completions.create({
      model: 'gpt-test',
      messages: [
        ...ask,
        { role: 'assistant', content: `I will write to ${EMAIL} today.` },
        { role: 'user', content: `Also copy ${other}.` },
      ],
    });
    const sent = ctx.fake.received.at(-1)?.json as { messages: { content: string }[] };
    assert.deepEqual(
      sent.messages.map((m) => m.content),
      [
        `Please write to ${PLACEHOLDER} about my order.`,
        `I will write to ${PLACEHOLDER} today.`,
        'Also copy <EMAIL_ADDRESS_2>.',
      ],
    );
  });
});
