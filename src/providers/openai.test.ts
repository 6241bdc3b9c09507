import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import type { Endpoint } from '../core/conversation.ts';
import { segmentsOf } from '../core/conversation.ts';
import { ParapetError, errorBody } from '../core/errors.ts';
import type { JsonObject, StreamEventInfo } from '../core/provider.ts';
import { getAtPath } from './json-path.ts';
import { openaiAdapter } from './openai.ts';
import { SseParser, jsonEvent, sseEvent } from './sse.ts';

const chatBody: JsonObject = {
  model: 'gpt-test',
  stream: true,
  unknown_field: { kept: true },
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'developer', content: [{ type: 'text', text: 'Dev rule.' }] },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Look at this' },
        { type: 'image_url', image_url: { url: 'https://x/y.png' } },
        { type: 'text', text: 'and this' },
      ],
    },
    {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"a"}' } }],
    },
    { role: 'tool', tool_call_id: 'call_1', content: 'result text' },
    { role: 'assistant', content: 'done' },
    { role: 'function', name: 'old_fn', content: 'legacy result' },
  ],
  tools: [
    {
      type: 'function',
      function: { name: 'lookup', description: 'Look up', parameters: { type: 'object' } },
    },
  ],
  functions: [{ name: 'old_fn', parameters: {} }],
};

describe('openai parseRequest', () => {
  it('normalises chat messages with origins, roles, tool calls and paths', () => {
    const conversation = openaiAdapter.parseRequest('chat', chatBody);
    assert.equal(conversation.model, 'gpt-test');
    assert.equal(conversation.stream, true);
    assert.deepEqual(
      segmentsOf(conversation).map((s) => [s.role, s.origin, s.text, s.messageIndex]),
      [
        ['system', 'system', 'You are terse.', 0],
        ['developer', 'system', 'Dev rule.', 1],
        ['user', 'prompt', 'Look at this', 2],
        ['user', 'prompt', 'and this', 2],
        ['assistant', 'tool_call_arguments', '{"q":"a"}', 3],
        ['tool', 'tool_result', 'result text', 4],
        ['assistant', 'assistant', 'done', 5],
        ['tool', 'tool_result', 'legacy result', 6],
      ],
    );
    for (const segment of segmentsOf(conversation))
      assert.equal(getAtPath(chatBody, segment.path), segment.text);
    assert.deepEqual(conversation.messages[3]?.toolCalls, [
      {
        id: 'call_1',
        name: 'lookup',
        arguments: '{"q":"a"}',
        path: ['messages', 3, 'tool_calls', 0, 'function', 'arguments'],
      },
    ]);
    assert.equal(conversation.messages[4]?.toolCallId, 'call_1');
    assert.deepEqual(
      conversation.tools.map((t) => [t.name, t.description, t.path]),
      [
        ['lookup', 'Look up', ['tools', 0, 'function']],
        ['old_fn', '', ['functions', 0]],
      ],
    );
  });

  const textCases: { endpoint: Endpoint; body: JsonObject; texts: string[]; origin: string }[] = [
    { endpoint: 'completions', body: { model: 'm', prompt: 'hello' }, texts: ['hello'], origin: 'prompt' },
    {
      endpoint: 'completions',
      body: { model: 'm', prompt: ['a', 'b'], suffix: 'c' },
      texts: ['a', 'b', 'c'],
      origin: 'prompt',
    },
    { endpoint: 'completions', body: { model: 'm', prompt: [1, 2, 3] }, texts: [], origin: 'prompt' },
    { endpoint: 'embeddings', body: { model: 'm', input: 'x' }, texts: ['x'], origin: 'embedding_input' },
    {
      endpoint: 'embeddings',
      body: { model: 'm', input: ['x', 'y'] },
      texts: ['x', 'y'],
      origin: 'embedding_input',
    },
    {
      endpoint: 'embeddings',
      body: { model: 'm', input: [[1, 2], [3]] },
      texts: [],
      origin: 'embedding_input',
    },
  ];
  for (const { endpoint, body, texts, origin } of textCases) {
    it(`reads ${endpoint} ${JSON.stringify(body)}`, () => {
      const segments = segmentsOf(openaiAdapter.parseRequest(endpoint, body));
      assert.deepEqual(
        segments.map((s) => s.text),
        texts,
      );
      for (const s of segments) {
        assert.equal(s.origin, origin);
        assert.equal(getAtPath(body, s.path), s.text);
      }
    });
  }

  const badCases: { endpoint: Endpoint; body: JsonObject; param: string; message: RegExp }[] = [
    {
      endpoint: 'chat',
      body: { messages: [] },
      param: 'model',
      message: /'model' must be a non-empty string, got nothing/,
    },
    {
      endpoint: 'chat',
      body: { model: 'm', messages: {} },
      param: 'messages',
      message: /non-empty array, got an object/,
    },
    {
      endpoint: 'chat',
      body: { model: 'm', messages: [] },
      param: 'messages',
      message: /got an empty array/,
    },
    {
      endpoint: 'chat',
      body: { model: 'm', messages: ['hi'] },
      param: 'messages[0]',
      message: /an object, got a string/,
    },
    {
      endpoint: 'chat',
      body: { model: 'm', messages: [{ role: 'boss', content: 'x' }] },
      param: 'messages[0].role',
      message: /one of system/,
    },
    {
      endpoint: 'chat',
      body: {
        model: 'm',
        messages: [
          { role: 'user', content: 'a' },
          { role: 'user', content: 5 },
        ],
      },
      param: 'messages[1].content',
      message: /string or an array of content parts, got a number/,
    },
    {
      endpoint: 'chat',
      body: { model: 'm', messages: [{ role: 'user', content: [{ type: 'text' }] }] },
      param: 'messages[0].content[0].text',
      message: /a string/,
    },
    {
      endpoint: 'chat',
      body: { model: 'm', messages: [{ role: 'tool', content: 'r' }] },
      param: 'messages[0].tool_call_id',
      message: /a string/,
    },
    {
      endpoint: 'chat',
      body: {
        model: 'm',
        messages: [{ role: 'assistant', tool_calls: [{ id: 'c', function: { name: 'f', arguments: {} } }] }],
      },
      param: 'messages[0].tool_calls[0].function.arguments',
      message: /a string, got an object/,
    },
    {
      endpoint: 'chat',
      body: { model: 'm', stream: 'yes', messages: [{ role: 'user', content: 'a' }] },
      param: 'stream',
      message: /a boolean/,
    },
    {
      endpoint: 'chat',
      body: { model: 'm', messages: [{ role: 'user', content: 'a' }], tools: [{ type: 'function' }] },
      param: 'tools[0].function',
      message: /an object/,
    },
    {
      endpoint: 'completions',
      body: { model: 'm', prompt: { a: 1 } },
      param: 'prompt',
      message: /a string, an array of strings/,
    },
    { endpoint: 'embeddings', body: { model: 'm' }, param: 'input', message: /got nothing/ },
    {
      endpoint: 'embeddings',
      body: { model: 'm', input: ['a', null] },
      param: 'input[1]',
      message: /got null/,
    },
  ];
  for (const { endpoint, body, param, message } of badCases) {
    it(`rejects ${endpoint} ${JSON.stringify(body)} naming ${param}`, () => {
      assert.throws(
        () => openaiAdapter.parseRequest(endpoint, body),
        (error: unknown) =>
          error instanceof ParapetError &&
          error.code === 'invalid_request' &&
          error.param === param &&
          message.test(error.message),
      );
    });
  }
});

describe('openai responseTexts', () => {
  it('finds message content and tool-call arguments with channels and paths', () => {
    const body: JsonObject = {
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Hello' } },
        {
          index: 1,
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c', type: 'function', function: { name: 'lookup', arguments: '{"q":1}' } }],
          },
        },
      ],
    };
    const texts = openaiAdapter.responseTexts('chat', body);
    assert.deepEqual(
      texts.map((t) => [t.channel, t.origin, t.text, t.toolName]),
      [
        ['choice:0', 'assistant', 'Hello', undefined],
        ['choice:1/tool:0', 'tool_call_arguments', '{"q":1}', 'lookup'],
      ],
    );
    for (const t of texts) assert.equal(getAtPath(body, t.path), t.text);
  });

  it('reads completion choices', () => {
    const texts = openaiAdapter.responseTexts('completions', { choices: [{ index: 0, text: 'abc' }] });
    assert.deepEqual(texts, [
      {
        channel: 'choice:0',
        origin: 'assistant',
        text: 'abc',
        path: ['choices', 0, 'text'],
        toolName: undefined,
      },
    ]);
  });
});

function readAll(endpoint: Endpoint, payloads: unknown[]): StreamEventInfo[] {
  const read = openaiAdapter.streamReader(endpoint);
  return payloads.map((p) => {
    const event = p === '[DONE]' ? sseEvent({ data: '[DONE]' }) : jsonEvent(p);
    return read(event, p === '[DONE]' ? undefined : p);
  });
}

describe('openai streamReader', () => {
  it('tracks content and tool-call channels, tool names, closes and the terminal event', () => {
    const infos = readAll('chat', [
      { choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }] },
      {
        choices: [
          {
            index: 0,
            delta: {
              tool_calls: [
                { index: 1, id: 'c', type: 'function', function: { name: 'lookup', arguments: '{"a' } },
              ],
            },
          },
        ],
      },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: '":1}' } }] } }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      { choices: [], usage: { total_tokens: 3 } },
      '[DONE]',
    ]);
    assert.deepEqual(
      infos.map((i) => i.texts.map((t) => [t.channel, t.text, t.toolName, t.path.join('.')])),
      [
        [['choice:0', 'Hi', undefined, 'choices.0.delta.content']],
        [['choice:0/tool:1', '{"a', 'lookup', 'choices.0.delta.tool_calls.0.function.arguments']],
        [['choice:0/tool:1', '":1}', 'lookup', 'choices.0.delta.tool_calls.0.function.arguments']],
        [],
        [],
        [],
      ],
    );
    assert.deepEqual(infos[3]?.closes, ['choice:0', 'choice:0/tool:1']);
    assert.deepEqual(
      infos.map((i) => i.terminal),
      [false, false, false, false, false, true],
    );
  });

  it('reads completion stream text', () => {
    const infos = readAll('completions', [
      { choices: [{ index: 0, text: 'ab', finish_reason: null }] },
      { choices: [{ index: 0, text: '', finish_reason: 'stop' }] },
    ]);
    assert.deepEqual(
      infos[0]?.texts.map((t) => t.text),
      ['ab'],
    );
    assert.deepEqual(infos[1]?.closes, ['choice:0']);
  });
});

function clientReturning(sse: string): OpenAI {
  return new OpenAI({
    apiKey: 'test',
    baseURL: 'http://127.0.0.1:9/v1',
    maxRetries: 0,
    fetch: () => Promise.resolve(new Response(sse, { headers: { 'content-type': 'text/event-stream' } })),
  });
}

describe('openai blockedStreamEnd', () => {
  const error = errorBody(new ParapetError('policy_violation', "Blocked by policy rule 'p/output.secrets'"));

  it('ends a chat stream in a way the official SDK accumulates without error', async () => {
    const prefix = [
      jsonEvent({
        id: 'x',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'm',
        choices: [{ index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null }],
      }),
    ];
    const ending = openaiAdapter.blockedStreamEnd('chat', error, ['choice:0']);
    const sse = [...prefix, ...ending].map((e) => e.raw).join('');
    const stream = clientReturning(sse).chat.completions.stream({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
    });
    const completion = await stream.finalChatCompletion();
    const choice = completion.choices[0]!;
    assert.equal(choice.finish_reason, 'content_filter');
    assert.match(
      choice.message.content ?? '',
      /^Hel\n\n\[Parapet: answer stopped — Blocked by policy rule 'p\/output.secrets'\]$/,
    );
    const parser = new SseParser();
    const parsed = parser.push(ending.map((e) => e.raw).join(''));
    assert.deepEqual((JSON.parse(parsed[0]?.data ?? '') as { parapet: unknown }).parapet, error);
    assert.equal(parsed[1]?.data, '[DONE]');
  });

  it('ends a completions stream that the SDK iterates without error', async () => {
    const ending = openaiAdapter.blockedStreamEnd('completions', error, []);
    const sse = ending.map((e) => e.raw).join('');
    const chunks = [];
    for await (const chunk of await clientReturning(sse).completions.create({
      model: 'm',
      prompt: 'x',
      stream: true,
    }))
      chunks.push(chunk);
    assert.equal(chunks.length, 1);
    assert.equal(chunks[0]?.choices[0]?.finish_reason, 'content_filter');
  });
});
