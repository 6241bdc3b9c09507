import type { JsonPath } from '../../core/conversation.ts';
import { ParapetError } from '../../core/errors.ts';
import type { JsonObject, SseEvent, Translator } from '../../core/provider.ts';
import {
  asNumber,
  asRecord,
  asString,
  invalid,
  untranslatable,
  requireArray,
  requireObject,
  requireString,
} from '../fields.ts';
import { formatPath } from '../json-path.ts';
import { jsonEvent } from '../sse.ts';
import { parseJson, parseToolArguments, typeName } from './shared.ts';

/**
 * A client speaking the Anthropic Messages API, routed to an OpenAI chat-completions upstream
 * (OpenAI itself, vLLM, Ollama, KServe). The request becomes a chat request; the answer (body or
 * stream) becomes an Anthropic message.
 */
export const anthropicToOpenai: Translator = {
  from: 'anthropic',
  to: 'openai',

  request(endpoint, body) {
    if (endpoint !== 'messages') {
      throw new ParapetError('invalid_request', `The Anthropic API has no '${endpoint}' endpoint.`);
    }
    return { endpoint: 'chat', body: messagesToChat(body) };
  },

  response(_endpoint, body) {
    if (asRecord(body.error) !== undefined) return anthropicErrorFrom(body);
    return completionToMessage(body);
  },

  stream() {
    return chunksToAnthropicEvents();
  },
};

// ---- request --------------------------------------------------------------------------------

function messagesToChat(body: JsonObject): JsonObject {
  const model = requireString(body.model, ['model'], true);
  const messages: JsonObject[] = [];
  const system = systemText(body.system);
  if (system !== undefined) messages.push({ role: 'system', content: system });
  requireArray(body.messages, ['messages'], true).forEach((raw, i) => {
    const path = ['messages', i];
    const message = requireObject(raw, path);
    if (message.role === 'user') messages.push(...userMessages(message.content, [...path, 'content']));
    else if (message.role === 'assistant')
      messages.push(assistantMessage(message.content, [...path, 'content']));
    else throw invalid([...path, 'role'], "'user' or 'assistant'", message.role);
  });
  const out: JsonObject = { model, messages };
  if (body.max_tokens !== undefined) out.max_tokens = body.max_tokens;
  if (Array.isArray(body.stop_sequences)) out.stop = body.stop_sequences;
  for (const key of ['temperature', 'top_p'] as const) if (body[key] !== undefined) out[key] = body[key];
  if (body.stream === true) {
    out.stream = true;
    // Usage arrives in a last chunk only when asked for; Anthropic clients expect it.
    out.stream_options = { include_usage: true };
  }
  const user = asString(asRecord(body.metadata)?.user_id);
  if (user !== undefined) out.user = user;
  if (body.tools !== undefined && body.tools !== null) out.tools = tools(body.tools);
  const choice = asRecord(body.tool_choice);
  if (choice !== undefined) {
    if (choice.disable_parallel_tool_use === true) out.parallel_tool_calls = false;
    out.tool_choice = toolChoice(choice);
  }
  return out;
}

function unsupported(path: JsonPath, what: string): ParapetError {
  return untranslatable(path, what, 'OpenAI chat API');
}

function systemText(system: unknown): string | undefined {
  if (system === undefined || system === null) return undefined;
  if (typeof system === 'string') return system;
  return requireArray(system, ['system'])
    .map((raw, k) => requireString(requireObject(raw, ['system', k]).text, ['system', k, 'text']))
    .join('\n\n');
}

function blocksOf(content: unknown, path: JsonPath): Record<string, unknown>[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return requireArray(content, path).map((raw, k) => requireObject(raw, [...path, k]));
}

/**
 * A user turn: its tool results become `tool` messages (which OpenAI wants right after the
 * assistant's calls), followed by one user message with the remaining parts.
 */
function userMessages(content: unknown, path: JsonPath): JsonObject[] {
  const toolMessages: JsonObject[] = [];
  const parts: JsonObject[] = [];
  blocksOf(content, path).forEach((block, k) => {
    const blockPath = [...path, k];
    switch (block.type) {
      case 'text':
        parts.push({ type: 'text', text: requireString(block.text, [...blockPath, 'text']) });
        break;
      case 'image':
        parts.push({
          type: 'image_url',
          image_url: { url: imageUrl(block.source, [...blockPath, 'source']) },
        });
        break;
      case 'document': {
        const source = asRecord(block.source);
        if (source?.type !== 'text') throw unsupported([...blockPath, 'source'], 'a non-text document');
        parts.push({ type: 'text', text: requireString(source.data, [...blockPath, 'source', 'data']) });
        break;
      }
      case 'tool_result':
        toolMessages.push({
          role: 'tool',
          tool_call_id: requireString(block.tool_use_id, [...blockPath, 'tool_use_id']),
          content: toolResultText(block, blockPath),
        });
        break;
      default:
        throw unsupported([...blockPath, 'type'], `a '${typeName(block.type)}' block`);
    }
  });
  if (parts.length === 0) return toolMessages;
  const single = parts.length === 1 && parts[0]?.type === 'text' ? parts[0].text : undefined;
  return [...toolMessages, { role: 'user', content: single ?? parts }];
}

function toolResultText(block: Record<string, unknown>, path: JsonPath): string {
  const content = block.content;
  const text =
    content === undefined || content === null
      ? ''
      : blocksOf(content, [...path, 'content'])
          .map((inner, n) => {
            if (inner.type !== 'text')
              throw unsupported([...path, 'content', n, 'type'], `a '${typeName(inner.type)}' tool result`);
            return requireString(inner.text, [...path, 'content', n, 'text']);
          })
          .join('\n');
  // OpenAI has no error flag on tool results; the model still needs to know the call failed.
  return block.is_error === true ? `Error: ${text}` : text;
}

function imageUrl(source: unknown, path: JsonPath): string {
  const image = requireObject(source, path);
  if (image.type === 'base64') {
    const mediaType = requireString(image.media_type, [...path, 'media_type']);
    return `data:${mediaType};base64,${requireString(image.data, [...path, 'data'])}`;
  }
  if (image.type === 'url') return requireString(image.url, [...path, 'url']);
  throw unsupported([...path, 'type'], `a '${typeName(image.type)}' image source`);
}

function assistantMessage(content: unknown, path: JsonPath): JsonObject {
  const texts: string[] = [];
  const toolCalls: JsonObject[] = [];
  blocksOf(content, path).forEach((block, k) => {
    const blockPath = [...path, k];
    if (block.type === 'text') texts.push(requireString(block.text, [...blockPath, 'text']));
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: requireString(block.id, [...blockPath, 'id']),
        type: 'function',
        function: {
          name: requireString(block.name, [...blockPath, 'name']),
          arguments: JSON.stringify(requireObject(block.input, [...blockPath, 'input'])),
        },
      });
    }
    // Thinking blocks are signed for Anthropic models only; another upstream cannot use them.
    else if (block.type !== 'thinking' && block.type !== 'redacted_thinking') {
      throw unsupported([...blockPath, 'type'], `a '${typeName(block.type)}' block`);
    }
  });
  const message: JsonObject = { role: 'assistant', content: texts.length > 0 ? texts.join('') : null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return message;
}

function tools(value: unknown): JsonObject[] {
  return requireArray(value, ['tools']).map((raw, i) => {
    const tool = requireObject(raw, ['tools', i]);
    if (tool.type !== undefined && tool.type !== 'custom') {
      throw unsupported(['tools', i, 'type'], `the server tool '${typeName(tool.type)}'`);
    }
    const fn: JsonObject = {
      name: requireString(tool.name, ['tools', i, 'name'], true),
      parameters: tool.input_schema ?? { type: 'object', properties: {} },
    };
    if (typeof tool.description === 'string') fn.description = tool.description;
    return { type: 'function', function: fn };
  });
}

function toolChoice(choice: Record<string, unknown>): unknown {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'none':
      return 'none';
    case 'any':
      return 'required';
    case 'tool':
      return { type: 'function', function: { name: requireString(choice.name, ['tool_choice', 'name']) } };
    default:
      throw invalid(['tool_choice', 'type'], "'auto', 'any', 'tool' or 'none'", choice.type);
  }
}

// ---- response -------------------------------------------------------------------------------

const STOP_REASONS: Readonly<Record<string, string>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'refusal',
};

function stopReason(finish: unknown): string {
  return typeof finish === 'string' && Object.hasOwn(STOP_REASONS, finish)
    ? (STOP_REASONS[finish] ?? 'end_turn')
    : 'end_turn';
}

function usageOf(usage: Record<string, unknown> | undefined): JsonObject {
  return {
    input_tokens: asNumber(usage?.prompt_tokens) ?? 0,
    output_tokens: asNumber(usage?.completion_tokens) ?? 0,
  };
}

function completionToMessage(body: JsonObject): JsonObject {
  const choice = asRecord(Array.isArray(body.choices) ? body.choices[0] : undefined);
  const message = asRecord(choice?.message);
  const content: JsonObject[] = [];
  const text = asString(message?.content) ?? asString(message?.refusal);
  if (text !== undefined && text !== '') content.push({ type: 'text', text });
  const calls = Array.isArray(message?.tool_calls) ? message.tool_calls : [];
  calls.forEach((raw, j) => {
    const call = asRecord(raw);
    const fn = asRecord(call?.function);
    const path = ['choices', 0, 'message', 'tool_calls', j, 'function', 'arguments'];
    content.push({
      type: 'tool_use',
      id: asString(call?.id) ?? `call_${j}`,
      name: asString(fn?.name) ?? '',
      input: upstreamArguments(asString(fn?.arguments) ?? '', path),
    });
  });
  return {
    id: body.id,
    type: 'message',
    role: 'assistant',
    model: body.model,
    content,
    stop_reason: stopReason(choice?.finish_reason),
    stop_sequence: null,
    usage: usageOf(asRecord(body.usage)),
  };
}

/** Arguments the upstream model produced: malformed JSON there is the upstream's fault (502). */
function upstreamArguments(text: string, path: JsonPath): JsonObject {
  try {
    return parseToolArguments(text, path);
  } catch {
    throw new ParapetError(
      'upstream_error',
      `The upstream returned tool-call arguments that are not a JSON object at ${formatPath(path)}.`,
    );
  }
}

function anthropicErrorFrom(body: JsonObject): JsonObject {
  const error = asRecord(body.error);
  return {
    type: 'error',
    error: {
      type: asString(error?.type) ?? 'api_error',
      message: asString(error?.message) ?? 'The upstream reported an error.',
    },
  };
}

// ---- stream ---------------------------------------------------------------------------------

/**
 * OpenAI chunks → Anthropic events. Anthropic streams one content block at a time, so a change
 * from text to a tool call (or between tool calls) closes the open block and starts the next.
 * The `message_delta` waits for `[DONE]` because the usage chunk follows the finish reason.
 */
function chunksToAnthropicEvents(): (event: SseEvent) => SseEvent[] {
  let started = false;
  let open: { index: number; tool?: number } | undefined;
  let nextIndex = 0;
  let finish: unknown = null;
  let usage: Record<string, unknown> | undefined;
  let done = false;
  const event = (payload: JsonObject): SseEvent => jsonEvent(payload, typeName(payload.type));

  const start = (id: unknown, model: unknown): SseEvent[] => {
    if (started) return [];
    started = true;
    const message = {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
    };
    return [
      event({ type: 'message_start', message: { ...message, usage: { input_tokens: 0, output_tokens: 0 } } }),
    ];
  };
  const close = (): SseEvent[] => {
    if (open === undefined) return [];
    const stop = event({ type: 'content_block_stop', index: open.index });
    open = undefined;
    return [stop];
  };
  const openBlock = (block: JsonObject, tool?: number): SseEvent[] => {
    const events = close();
    open = tool === undefined ? { index: nextIndex } : { index: nextIndex, tool };
    nextIndex++;
    events.push(event({ type: 'content_block_start', index: open.index, content_block: block }));
    return events;
  };

  return (sse) => {
    if (done) return [];
    if (sse.data.trim() === '[DONE]') {
      done = true;
      return [
        ...start('', ''),
        ...close(),
        event({
          type: 'message_delta',
          delta: { stop_reason: stopReason(finish), stop_sequence: null },
          usage: usageOf(usage),
        }),
        event({ type: 'message_stop' }),
      ];
    }
    const chunk = parseJson(sse.data);
    if (chunk === undefined) return [];
    const error = asRecord(chunk.error);
    if (error !== undefined) {
      done = true;
      return [event(anthropicErrorFrom(chunk))];
    }
    const events = start(chunk.id ?? '', chunk.model ?? '');
    if (asRecord(chunk.usage) !== undefined) usage = asRecord(chunk.usage);
    const choice = asRecord(Array.isArray(chunk.choices) ? chunk.choices[0] : undefined);
    const delta = asRecord(choice?.delta);
    const text = asString(delta?.content);
    if (text !== undefined && text !== '') {
      if (open === undefined || open.tool !== undefined)
        events.push(...openBlock({ type: 'text', text: '' }));
      events.push(
        event({ type: 'content_block_delta', index: open?.index ?? 0, delta: { type: 'text_delta', text } }),
      );
    }
    const calls = Array.isArray(delta?.tool_calls) ? delta.tool_calls : [];
    calls.forEach((raw, k) => {
      const call = asRecord(raw);
      const fn = asRecord(call?.function);
      const toolIndex = asNumber(call?.index) ?? k;
      if (open?.tool !== toolIndex) {
        const block = {
          type: 'tool_use',
          id: asString(call?.id) ?? `call_${toolIndex}`,
          name: asString(fn?.name) ?? '',
          input: {},
        };
        events.push(...openBlock(block, toolIndex));
      }
      const args = asString(fn?.arguments);
      if (args !== undefined && args !== '') {
        events.push(
          event({
            type: 'content_block_delta',
            index: open?.index ?? 0,
            delta: { type: 'input_json_delta', partial_json: args },
          }),
        );
      }
    });
    if (choice?.finish_reason !== undefined && choice.finish_reason !== null) {
      finish = choice.finish_reason;
      events.push(...close());
    }
    return events;
  };
}
