import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { ParapetError } from '../../core/errors.ts';
import type { JsonObject, SseEvent } from '../../core/provider.ts';
import { adapterFor, translateEvents, translatorFor } from '../index.ts';
import { jsonEvent, sseEvent } from '../sse.ts';
import { anthropicToOpenai } from './anthropic-to-openai.ts';
import { DEFAULT_MAX_TOKENS, openaiToAnthropic } from './openai-to-anthropic.ts';

const sse = (events: readonly SseEvent[]): string => events.map((e) => e.raw).join('');
const anthropicEvent = (payload: { type: string; [field: string]: unknown }): SseEvent =>
  jsonEvent(payload, payload.type);

function openaiClient(body: string, contentType = 'text/event-stream'): OpenAI {
  return new OpenAI({
    apiKey: 'k',
    baseURL: 'http://127.0.0.1:9/v1',
    maxRetries: 0,
    fetch: () => Promise.resolve(new Response(body, { headers: { 'content-type': contentType } })),
  });
}

function anthropicClient(body: string, contentType = 'text/event-stream'): Anthropic {
  return new Anthropic({
    apiKey: 'k',
    baseURL: 'http://127.0.0.1:9',
    maxRetries: 0,
    fetch: () => Promise.resolve(new Response(body, { headers: { 'content-type': contentType } })),
  });
}

async function* fromArray(events: readonly SseEvent[]): AsyncGenerator<SseEvent> {
  for (const event of events) {
    await Promise.resolve();
    yield event;
  }
}

async function translated(
  events: readonly SseEvent[],
  from: 'openai' | 'anthropic',
  to: 'openai' | 'anthropic',
) {
  const translator = translatorFor(from, to)!;
  const out: SseEvent[] = [];
  for await (const event of translateEvents(
    fromArray(events),
    translator,
    from === 'openai' ? 'chat' : 'messages',
  )) {
    out.push(event);
  }
  return out;
}

describe('translatorFor', () => {
  it('returns nothing for the same API and the matching translator otherwise', () => {
    assert.equal(translatorFor('openai', 'openai'), undefined);
    assert.equal(translatorFor('openai', 'anthropic'), openaiToAnthropic);
    assert.equal(translatorFor('anthropic', 'openai'), anthropicToOpenai);
  });
});

describe('OpenAI client → Anthropic upstream', () => {
  it('translates a chat request with system, images, tools, tool calls and results', () => {
    const { endpoint, body } = openaiToAnthropic.request('chat', {
      model: 'claude-x',
      messages: [
        { role: 'system', content: 'Sys one.' },
        { role: 'developer', content: [{ type: 'text', text: 'Dev two.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather here?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          ],
        },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
            { id: 'c2', type: 'function', function: { name: 'time', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'Rain' },
        { role: 'tool', tool_call_id: 'c2', content: [{ type: 'text', text: '12:00' }] },
        { role: 'user', content: 'Thanks' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'weather', description: 'Weather', parameters: { type: 'object' } },
        },
      ],
      tool_choice: 'required',
      parallel_tool_calls: false,
      stop: 'END',
      temperature: 0.2,
      stream: true,
      stream_options: { include_usage: true },
      user: 'u1',
    });
    assert.equal(endpoint, 'messages');
    assert.deepEqual(body, {
      model: 'claude-x',
      system: [
        { type: 'text', text: 'Sys one.' },
        { type: 'text', text: 'Dev two.' },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather here?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'c1', name: 'weather', input: { city: 'Oslo' } },
            { type: 'tool_use', id: 'c2', name: 'time', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'c1', content: [{ type: 'text', text: 'Rain' }] },
            { type: 'tool_result', tool_use_id: 'c2', content: [{ type: 'text', text: '12:00' }] },
            { type: 'text', text: 'Thanks' },
          ],
        },
      ],
      max_tokens: DEFAULT_MAX_TOKENS,
      stop_sequences: ['END'],
      temperature: 0.2,
      stream: true,
      metadata: { user_id: 'u1' },
      tools: [{ name: 'weather', input_schema: { type: 'object' }, description: 'Weather' }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
    });
    // The translated body is a valid request for the Anthropic adapter.
    assert.equal(adapterFor('anthropic').parseRequest('messages', body).messages.length, 6);
  });

  const rejected: { endpoint: 'chat' | 'completions' | 'embeddings'; body: JsonObject; message: RegExp }[] = [
    { endpoint: 'completions', body: { model: 'm', prompt: 'x' }, message: /no completions endpoint/ },
    { endpoint: 'embeddings', body: { model: 'm', input: 'x' }, message: /no embeddings endpoint/ },
    {
      endpoint: 'chat',
      body: { model: 'm', n: 2, messages: [{ role: 'user', content: 'x' }] },
      message: /'n': more than one choice/,
    },
    {
      endpoint: 'chat',
      body: {
        model: 'm',
        messages: [
          { role: 'assistant', tool_calls: [{ id: 'a', function: { name: 'f', arguments: '{oops' } }] },
        ],
      },
      message: /'messages\[0\]\.tool_calls\[0\]\.function\.arguments' must be JSON text of an object/,
    },
    {
      endpoint: 'chat',
      body: { model: 'm', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] },
      message: /'messages\[0\]\.content\[0\]\.type': a 'input_audio' content part cannot be translated/,
    },
  ];
  for (const { endpoint, body, message } of rejected) {
    it(`rejects ${endpoint} ${JSON.stringify(body)} with a clear error`, () => {
      assert.throws(
        () => openaiToAnthropic.request(endpoint, body),
        (error: unknown) =>
          error instanceof ParapetError && error.code === 'invalid_request' && message.test(error.message),
      );
    });
  }

  it('translates a message with text and a tool call to a chat completion', () => {
    const completion = openaiToAnthropic.response('chat', {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-x',
      content: [
        { type: 'text', text: 'Let me look.' },
        { type: 'tool_use', id: 'tu_1', name: 'weather', input: { city: 'Oslo' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 2 },
    });
    assert.deepEqual(completion.choices, [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: 'Let me look.',
          refusal: null,
          tool_calls: [
            { id: 'tu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
          ],
        },
        logprobs: null,
        finish_reason: 'tool_calls',
      },
    ]);
    assert.deepEqual(completion.usage, { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 });
    assert.equal(completion.object, 'chat.completion');
  });

  it('translates an Anthropic error body to the OpenAI error shape', () => {
    const body = openaiToAnthropic.response('chat', {
      type: 'error',
      error: { type: 'overloaded_error', message: 'Busy' },
    });
    assert.deepEqual(body, { error: { message: 'Busy', type: 'overloaded_error', param: null, code: null } });
  });

  it('streams text and tool calls that the OpenAI SDK reassembles', async () => {
    const events = [
      anthropicEvent({
        type: 'message_start',
        message: {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: 'claude-x',
          content: [],
          usage: { input_tokens: 7, output_tokens: 1 },
        },
      }),
      anthropicEvent({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      anthropicEvent({ type: 'ping' }),
      anthropicEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } }),
      anthropicEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } }),
      anthropicEvent({ type: 'content_block_stop', index: 0 }),
      anthropicEvent({
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'tu_1', name: 'weather', input: {} },
      }),
      anthropicEvent({
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '{"city":' },
      }),
      anthropicEvent({
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '"Oslo"}' },
      }),
      anthropicEvent({ type: 'content_block_stop', index: 1 }),
      anthropicEvent({
        type: 'content_block_start',
        index: 2,
        content_block: { type: 'tool_use', id: 'tu_2', name: 'time', input: {} },
      }),
      anthropicEvent({ type: 'content_block_stop', index: 2 }),
      anthropicEvent({
        type: 'message_delta',
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: { output_tokens: 9 },
      }),
      anthropicEvent({ type: 'message_stop' }),
    ];
    const out = await translated(events, 'openai', 'anthropic');
    assert.equal(out.at(-1)?.data, '[DONE]');
    const completion = await openaiClient(sse(out))
      .chat.completions.stream({ model: 'claude-x', messages: [{ role: 'user', content: 'x' }] })
      .finalChatCompletion();
    const choice = completion.choices[0]!;
    assert.equal(choice.message.content, 'Hello');
    assert.deepEqual(
      choice.message.tool_calls?.map((c) =>
        c.type === 'function' ? [c.id, c.function.name, c.function.arguments] : [],
      ),
      [
        ['tu_1', 'weather', '{"city":"Oslo"}'],
        ['tu_2', 'time', ''],
      ],
    );
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(completion.id, 'msg_1');
    assert.deepEqual(completion.usage, { prompt_tokens: 7, completion_tokens: 9, total_tokens: 16 });
  });

  it('turns a stream error event into a chunk the OpenAI SDK raises', async () => {
    const events = [anthropicEvent({ type: 'error', error: { type: 'overloaded_error', message: 'Busy' } })];
    const stream = await openaiClient(
      sse(await translated(events, 'openai', 'anthropic')),
    ).chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    await assert.rejects(async () => {
      for await (const chunk of stream) assert.fail(`unexpected chunk ${JSON.stringify(chunk)}`);
    }, /Busy/);
  });
});

describe('Anthropic client → OpenAI upstream', () => {
  it('translates a messages request with system, tools, tool use and results', () => {
    const { endpoint, body } = anthropicToOpenai.request('messages', {
      model: 'gpt-x',
      max_tokens: 100,
      system: [{ type: 'text', text: 'Be terse.' }],
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: '…', signature: 's' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'tu_1', name: 'weather', input: { city: 'Oslo' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'tu_1', content: 'Timeout', is_error: true },
            { type: 'text', text: 'Try again' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
          ],
        },
      ],
      tools: [{ name: 'weather', description: 'Weather', input_schema: { type: 'object' } }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      stop_sequences: ['END'],
      temperature: 0.5,
      top_k: 5,
      stream: true,
      metadata: { user_id: 'u1' },
    });
    assert.equal(endpoint, 'chat');
    assert.deepEqual(body, {
      model: 'gpt-x',
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'tu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'tu_1', content: 'Error: Timeout' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Try again' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          ],
        },
      ],
      max_tokens: 100,
      stop: ['END'],
      temperature: 0.5,
      stream: true,
      stream_options: { include_usage: true },
      user: 'u1',
      tools: [
        {
          type: 'function',
          function: { name: 'weather', parameters: { type: 'object' }, description: 'Weather' },
        },
      ],
      parallel_tool_calls: false,
      tool_choice: 'required',
    });
    assert.equal(adapterFor('openai').parseRequest('chat', body).messages.length, 5);
  });

  it('rejects server tools it cannot translate, naming the field', () => {
    assert.throws(
      () =>
        anthropicToOpenai.request('messages', {
          model: 'm',
          messages: [{ role: 'user', content: 'x' }],
          tools: [{ type: 'web_search_20250305', name: 'web_search' }],
        }),
      (error: unknown) => error instanceof ParapetError && error.param === 'tools[0].type',
    );
  });

  it('translates a chat completion with a tool call to a message', () => {
    const message = anthropicToOpenai.response('messages', {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'gpt-x',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Looking.',
            tool_calls: [
              { id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
    });
    assert.deepEqual(message, {
      id: 'chatcmpl-1',
      type: 'message',
      role: 'assistant',
      model: 'gpt-x',
      content: [
        { type: 'text', text: 'Looking.' },
        { type: 'tool_use', id: 'c1', name: 'weather', input: { city: 'Oslo' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 3, output_tokens: 4 },
    });
  });

  it('fails with an upstream error when the model returns arguments that are not JSON', () => {
    assert.throws(
      () =>
        anthropicToOpenai.response('messages', {
          choices: [
            {
              message: { tool_calls: [{ id: 'c', function: { name: 'f', arguments: '{"a":' } }] },
              finish_reason: 'tool_calls',
            },
          ],
        }),
      (error: unknown) => error instanceof ParapetError && error.code === 'upstream_error',
    );
  });

  it('streams text and tool calls that the Anthropic SDK reassembles', async () => {
    const chunk = (delta: JsonObject, finish: string | null = null): SseEvent =>
      jsonEvent({
        id: 'chatcmpl-1',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'gpt-x',
        choices: [{ index: 0, delta, finish_reason: finish }],
      });
    const events = [
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hel' }),
      chunk({ content: 'lo' }),
      chunk({
        tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'weather', arguments: '' } }],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] }),
      chunk({
        tool_calls: [{ index: 1, id: 'c2', type: 'function', function: { name: 'time', arguments: '{}' } }],
      }),
      chunk({}, 'tool_calls'),
      jsonEvent({
        id: 'chatcmpl-1',
        object: 'chat.completion.chunk',
        choices: [],
        usage: { prompt_tokens: 3, completion_tokens: 8, total_tokens: 11 },
      }),
      sseEvent({ data: '[DONE]' }),
    ];
    const out = await translated(events, 'anthropic', 'openai');
    const message = await anthropicClient(sse(out))
      .messages.stream({ model: 'gpt-x', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage();
    assert.deepEqual(
      message.content.map((b) =>
        b.type === 'text' ? b.text : b.type === 'tool_use' ? [b.id, b.name, b.input] : b.type,
      ),
      ['Hello', ['c1', 'weather', { city: 'Oslo' }], ['c2', 'time', {}]],
    );
    assert.equal(message.stop_reason, 'tool_use');
    assert.equal(message.usage.output_tokens, 8);
    assert.equal(message.id, 'chatcmpl-1');
    // Every translated event is one the Anthropic adapter reads, with the block indices it expects.
    const read = adapterFor('anthropic').streamReader('messages');
    const infos = out.map((e) => read(e, JSON.parse(e.data)));
    assert.deepEqual(
      infos.flatMap((i) => i.closes),
      ['block:0', 'block:1', 'block:2'],
    );
    assert.equal(infos.at(-1)?.terminal, true);
  });
});

describe('round trips', () => {
  it('OpenAI request → Anthropic → OpenAI keeps the conversation', () => {
    const original: JsonObject = {
      model: 'm',
      messages: [
        { role: 'system', content: 'Sys.' },
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'Rain' },
        { role: 'user', content: 'Thanks' },
      ],
      max_tokens: 50,
      stop: ['X'],
      tools: [
        { type: 'function', function: { name: 'weather', parameters: { type: 'object' }, description: 'W' } },
      ],
      tool_choice: { type: 'function', function: { name: 'weather' } },
    };
    const there = openaiToAnthropic.request('chat', original);
    const back = anthropicToOpenai.request(there.endpoint, there.body);
    assert.equal(back.endpoint, 'chat');
    assert.deepEqual(back.body, original);
  });

  it('Anthropic response → OpenAI → Anthropic keeps the message', () => {
    const original: JsonObject = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-x',
      content: [
        { type: 'text', text: 'Looking.' },
        { type: 'tool_use', id: 'tu_1', name: 'weather', input: { city: 'Oslo', days: [1, 2] } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 3, output_tokens: 4 },
    };
    assert.deepEqual(
      anthropicToOpenai.response('messages', openaiToAnthropic.response('chat', original)),
      original,
    );
  });

  it('streams Anthropic → OpenAI → Anthropic to the same final message', async () => {
    const events = [
      anthropicEvent({
        type: 'message_start',
        message: {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: 'c',
          content: [],
          usage: { input_tokens: 2, output_tokens: 0 },
        },
      }),
      anthropicEvent({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      anthropicEvent({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: 'Hi there' },
      }),
      anthropicEvent({ type: 'content_block_stop', index: 0 }),
      anthropicEvent({
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'tu_1', name: 'f', input: {} },
      }),
      anthropicEvent({
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '{"a":1}' },
      }),
      anthropicEvent({ type: 'content_block_stop', index: 1 }),
      anthropicEvent({
        type: 'message_delta',
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: { output_tokens: 6 },
      }),
      anthropicEvent({ type: 'message_stop' }),
    ];
    const direct = await anthropicClient(sse(events))
      .messages.stream({ model: 'c', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage();
    const viaOpenai = await translated(
      await translated(events, 'openai', 'anthropic'),
      'anthropic',
      'openai',
    );
    const roundTripped = await anthropicClient(sse(viaOpenai))
      .messages.stream({ model: 'c', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage();
    assert.deepEqual(roundTripped.content, direct.content);
    assert.equal(roundTripped.stop_reason, direct.stop_reason);
    assert.equal(roundTripped.id, direct.id);
  });
});
