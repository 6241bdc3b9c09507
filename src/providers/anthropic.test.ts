import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { segmentsOf } from '../core/conversation.ts';
import { ParapetError, errorBody } from '../core/errors.ts';
import type { JsonObject } from '../core/provider.ts';
import { anthropicAdapter } from './anthropic.ts';
import { getAtPath } from './json-path.ts';
import { jsonEvent } from './sse.ts';

const body: JsonObject = {
  model: 'claude-test',
  max_tokens: 100,
  system: [{ type: 'text', text: 'Be terse.' }],
  messages: [
    { role: 'user', content: 'What is the weather?' },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: 'tu_1', name: 'weather', input: { city: 'Oslo' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'tu_1', content: [{ type: 'text', text: 'Rainy' }] },
        { type: 'text', text: 'Thanks' },
        { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Doc body' } },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
        { type: 'tool_result', tool_use_id: 'tu_2', content: 'plain result' },
      ],
    },
  ],
  tools: [{ name: 'weather', description: 'Weather', input_schema: { type: 'object' } }],
};

describe('anthropic parseRequest', () => {
  it('normalises system, text, tool use, tool results and documents with paths', () => {
    const conversation = anthropicAdapter.parseRequest('messages', body);
    assert.deepEqual(
      conversation.messages.map((m) => [
        m.role,
        m.toolCallId,
        m.segments.map((s) => [s.origin, s.text, s.messageIndex]),
      ]),
      [
        ['system', undefined, [['system', 'Be terse.', -1]]],
        ['user', undefined, [['prompt', 'What is the weather?', 0]]],
        [
          'assistant',
          undefined,
          [
            ['assistant', 'Let me check.', 1],
            ['tool_call_arguments', '{"city":"Oslo"}', 1],
          ],
        ],
        ['tool', 'tu_1', [['tool_result', 'Rainy', 2]]],
        [
          'user',
          undefined,
          [
            ['prompt', 'Thanks', 2],
            ['document', 'Doc body', 2],
          ],
        ],
        ['tool', 'tu_2', [['tool_result', 'plain result', 2]]],
      ],
    );
    for (const segment of segmentsOf(conversation)) {
      const value = getAtPath(body, segment.path);
      assert.equal(typeof value === 'string' ? value : JSON.stringify(value), segment.text);
    }
    assert.deepEqual(conversation.messages[2]?.toolCalls, [
      {
        id: 'tu_1',
        name: 'weather',
        arguments: '{"city":"Oslo"}',
        path: ['messages', 1, 'content', 1, 'input'],
      },
    ]);
    assert.deepEqual(
      conversation.tools.map((t) => [t.name, t.description, t.parameters]),
      [['weather', 'Weather', { type: 'object' }]],
    );
  });

  it('accepts a string system prompt and string content', () => {
    const conversation = anthropicAdapter.parseRequest('messages', {
      model: 'm',
      system: 'sys',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    assert.equal(conversation.stream, true);
    assert.deepEqual(
      segmentsOf(conversation).map((s) => s.path.join('.')),
      ['system', 'messages.0.content'],
    );
  });

  const badCases: { body: JsonObject; param: string; message: RegExp }[] = [
    { body: { messages: [{ role: 'user', content: 'x' }] }, param: 'model', message: /got nothing/ },
    { body: { model: 'm', messages: 'hi' }, param: 'messages', message: /non-empty array, got a string/ },
    {
      body: { model: 'm', system: 5, messages: [{ role: 'user', content: 'x' }] },
      param: 'system',
      message: /a string or an array of text blocks/,
    },
    {
      body: { model: 'm', messages: [{ role: 'system', content: 'x' }] },
      param: 'messages[0].role',
      message: /'user' or 'assistant'/,
    },
    {
      body: { model: 'm', messages: [{ role: 'user', content: { text: 'x' } }] },
      param: 'messages[0].content',
      message: /array of content blocks, got an object/,
    },
    {
      body: { model: 'm', messages: [{ role: 'user', content: [{ text: 'x' }] }] },
      param: 'messages[0].content[0].type',
      message: /a string/,
    },
    {
      body: { model: 'm', messages: [{ role: 'user', content: [{ type: 'tool_result', content: 'x' }] }] },
      param: 'messages[0].content[0].tool_use_id',
      message: /a string/,
    },
    {
      body: {
        model: 'm',
        messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'f', input: '{}' }] }],
      },
      param: 'messages[0].content[0].input',
      message: /an object, got a string/,
    },
  ];
  for (const { body: bad, param, message } of badCases) {
    it(`rejects ${JSON.stringify(bad)} naming ${param}`, () => {
      assert.throws(
        () => anthropicAdapter.parseRequest('messages', bad),
        (error: unknown) =>
          error instanceof ParapetError && error.param === param && message.test(error.message),
      );
    });
  }

  it('rejects OpenAI endpoints', () => {
    assert.throws(() => anthropicAdapter.parseRequest('chat', body), ParapetError);
  });
});

describe('anthropic responseTexts', () => {
  it('finds text blocks and serialised tool input', () => {
    const response: JsonObject = {
      content: [
        { type: 'text', text: 'Hi' },
        { type: 'tool_use', id: 't', name: 'weather', input: { city: 'Oslo' } },
      ],
    };
    assert.deepEqual(anthropicAdapter.responseTexts('messages', response), [
      { channel: 'block:0', origin: 'assistant', text: 'Hi', path: ['content', 0, 'text'] },
      {
        channel: 'block:1',
        origin: 'tool_call_arguments',
        text: '{"city":"Oslo"}',
        path: ['content', 1, 'input'],
        toolName: 'weather',
      },
    ]);
  });
});

const streamEvents = [
  {
    type: 'message_start',
    message: {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'm',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 1, output_tokens: 0 },
    },
  },
  { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  { type: 'ping' },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } },
  { type: 'content_block_stop', index: 0 },
  {
    type: 'content_block_start',
    index: 1,
    content_block: { type: 'tool_use', id: 't', name: 'weather', input: {} },
  },
  { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"city":' } },
];

describe('anthropic streamReader', () => {
  it('tracks text and tool-input channels, stops and the terminal event', () => {
    const read = anthropicAdapter.streamReader('messages');
    const all = [
      ...streamEvents,
      { type: 'content_block_stop', index: 1 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 3 } },
      { type: 'message_stop' },
    ];
    const infos = all.map((payload) => read(jsonEvent(payload, payload.type), payload));
    assert.deepEqual(
      infos.map((i) => [
        i.texts.map((t) => [t.channel, t.origin, t.text, t.toolName, t.path.join('.')]),
        i.closes,
        i.terminal,
      ]),
      [
        [[], [], false],
        [[], [], false],
        [[], [], false],
        [[['block:0', 'assistant', 'Hello', undefined, 'delta.text']], [], false],
        [[], ['block:0'], false],
        [[], [], false],
        [[['block:1', 'tool_call_arguments', '{"city":', 'weather', 'delta.partial_json']], [], false],
        [[], ['block:1'], false],
        [[], [], false],
        [[], [], true],
      ],
    );
  });
});

describe('anthropic blockedStreamEnd', () => {
  const error = errorBody(new ParapetError('policy_violation', "Blocked by policy rule 'p/output.secrets'"));

  it('ends text and tool blocks in a way the official SDK accumulates without error', async () => {
    const prefix = streamEvents.map((p) => jsonEvent(p, p.type));
    // Block 0 is already closed; block 1 (a tool call) is still open when the rule fires.
    const sse = [...prefix, ...anthropicAdapter.blockedStreamEnd('messages', error, ['block:1'])]
      .map((e) => e.raw)
      .join('');
    const client = new Anthropic({
      apiKey: 'test',
      baseURL: 'http://127.0.0.1:9',
      maxRetries: 0,
      fetch: () => Promise.resolve(new Response(sse, { headers: { 'content-type': 'text/event-stream' } })),
    });
    const message = await client.messages
      .stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    assert.equal(message.stop_reason, 'refusal');
    assert.equal(message.stop_details?.explanation, "Blocked by policy rule 'p/output.secrets'");
    assert.equal(message.content[0]?.type === 'text' ? message.content[0].text : '', 'Hello');
  });

  it('puts the notice into an open text block', async () => {
    const prefix = streamEvents.slice(0, 4).map((p) => jsonEvent(p, p.type));
    const sse = [...prefix, ...anthropicAdapter.blockedStreamEnd('messages', error, ['block:0'])]
      .map((e) => e.raw)
      .join('');
    const client = new Anthropic({
      apiKey: 'test',
      baseURL: 'http://127.0.0.1:9',
      maxRetries: 0,
      fetch: () => Promise.resolve(new Response(sse, { headers: { 'content-type': 'text/event-stream' } })),
    });
    const message = await client.messages
      .stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    assert.equal(message.stop_reason, 'refusal');
    assert.match(
      message.content[0]?.type === 'text' ? message.content[0].text : '',
      /^Hello\n\n\[Parapet: answer stopped — /,
    );
  });
});
