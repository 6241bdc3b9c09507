import { createHash } from 'node:crypto';
import type { Endpoint } from '../core/conversation.ts';
import { serializeEvent } from '../providers/sse.ts';
import type { Upstream, UpstreamRequest, UpstreamResponse } from './upstream.ts';

/** The model name the demo answers to (and every name when no upstream is configured). */
export const DEMO_MODEL = 'parapet-demo';

const CREATED = 1_700_000_000;
const EMBEDDING_DIMENSIONS = 8;

/**
 * A built-in model so `npm start` works with nothing else running. It answers in-process, in
 * either wire API, streaming or not, with a short canned reply that summarises the request — so a
 * first-time user sees the whole pipeline (input checks, output checks, streaming) without keys.
 */
export function createDemoUpstream(): Upstream {
  return {
    name: 'demo',
    apis: ['openai', 'anthropic'],
    send: (request) => Promise.resolve(answer(request)),
    close: () => Promise.resolve(),
  };
}

function answer(request: UpstreamRequest): UpstreamResponse {
  const body = JSON.parse(request.body.toString()) as Record<string, unknown>;
  const model = typeof body.model === 'string' ? body.model : DEMO_MODEL;
  const id = `demo-${request.requestId}`;
  const reply = replyFor(request.endpoint, body);
  const stream = body.stream === true && request.endpoint !== 'embeddings';
  if (stream) return sse(streamEvents(request.endpoint, id, model, reply));
  return json(responseBody(request.endpoint, id, model, reply, body));
}

function replyFor(endpoint: Endpoint, body: Record<string, unknown>): string {
  const texts = textsOf(endpoint === 'completions' ? body.prompt : body.messages);
  const last = texts.at(-1) ?? '';
  const excerpt = last.length > 60 ? `${last.slice(0, 60)}…` : last;
  const characters = texts.reduce((n, t) => n + t.length, 0);
  return (
    `Hello from the Parapet demo model. Your request had ${texts.length} text part(s), ` +
    `${characters} characters; the last one begins "${excerpt}". ` +
    'Configure an upstream (--upstream URL) to talk to a real model.'
  );
}

/** Every string in a prompt / messages value, in order, whatever the wire shape. */
function textsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (typeof record.text === 'string') return [record.text];
    return textsOf(record.content);
  }
  return [];
}

function words(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [text];
}

function responseBody(
  endpoint: Endpoint,
  id: string,
  model: string,
  reply: string,
  body: Record<string, unknown>,
): unknown {
  const usage = {
    prompt_tokens: 10,
    completion_tokens: words(reply).length,
    total_tokens: 10 + words(reply).length,
  };
  switch (endpoint) {
    case 'chat':
      return {
        id,
        object: 'chat.completion',
        created: CREATED,
        model,
        choices: [
          { index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop', logprobs: null },
        ],
        usage,
      };
    case 'completions':
      return {
        id,
        object: 'text_completion',
        created: CREATED,
        model,
        choices: [{ index: 0, text: reply, finish_reason: 'stop', logprobs: null }],
        usage,
      };
    case 'embeddings': {
      const inputs = Array.isArray(body.input) ? (body.input as unknown[]) : [body.input];
      return {
        object: 'list',
        model,
        data: inputs.map((input, index) => ({
          object: 'embedding',
          index,
          embedding: embed(JSON.stringify(input)),
        })),
        usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
      };
    }
    case 'messages':
      return {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [{ type: 'text', text: reply }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: words(reply).length },
      };
  }
}

/** A deterministic unit vector, so the same input always embeds the same way. */
function embed(text: string): number[] {
  const digest = createHash('sha256').update(text).digest();
  const raw = Array.from({ length: EMBEDDING_DIMENSIONS }, (_, i) => digest.readInt8(i) / 128);
  const norm = Math.hypot(...raw) || 1;
  return raw.map((x) => x / norm);
}

function streamEvents(endpoint: Endpoint, id: string, model: string, reply: string): string[] {
  const data = (payload: unknown): string => serializeEvent({ data: JSON.stringify(payload) });
  const event = (name: string, payload: unknown): string =>
    serializeEvent({ event: name, data: JSON.stringify(payload) });
  const pieces = words(reply);
  if (endpoint === 'messages') {
    return [
      event('message_start', {
        type: 'message_start',
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 10, output_tokens: 1 },
        },
      }),
      event('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' },
      }),
      ...pieces.map((text) =>
        event('content_block_delta', {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'text_delta', text },
        }),
      ),
      event('content_block_stop', { type: 'content_block_stop', index: 0 }),
      event('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: pieces.length },
      }),
      event('message_stop', { type: 'message_stop' }),
    ];
  }
  if (endpoint === 'completions') {
    const chunk = (text: string, finish: string | null): string =>
      data({
        id,
        object: 'text_completion',
        created: CREATED,
        model,
        choices: [{ index: 0, text, finish_reason: finish, logprobs: null }],
      });
    return [...pieces.map((text) => chunk(text, null)), chunk('', 'stop'), 'data: [DONE]\n\n'];
  }
  const chunk = (delta: Record<string, string>, finish: string | null): string =>
    data({
      id,
      object: 'chat.completion.chunk',
      created: CREATED,
      model,
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    });
  return [
    chunk({ role: 'assistant', content: '' }, null),
    ...pieces.map((content) => chunk({ content }, null)),
    chunk({}, 'stop'),
    'data: [DONE]\n\n',
  ];
}

function json(payload: unknown): UpstreamResponse {
  const bytes = Buffer.from(JSON.stringify(payload));
  return response(200, 'application/json', [bytes]);
}

function sse(events: string[]): UpstreamResponse {
  return response(
    200,
    'text/event-stream',
    events.map((e) => Buffer.from(e)),
  );
}

function response(status: number, contentType: string, chunks: Buffer[]): UpstreamResponse {
  return {
    status,
    headers: { 'content-type': contentType },
    body: chunks,
    discard: () => undefined,
  };
}
