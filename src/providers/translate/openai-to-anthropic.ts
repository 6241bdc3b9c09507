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
import { jsonEvent, sseEvent } from '../sse.ts';
import { mergeSameRole, parseJson, parseToolArguments, typeName } from './shared.ts';

/** Anthropic requires `max_tokens`; OpenAI clients often omit it. */
export const DEFAULT_MAX_TOKENS = 4096;

/**
 * A client speaking OpenAI chat completions, routed to an Anthropic Messages upstream. The
 * request is rewritten to Anthropic; the answer (body or stream) back to OpenAI chat.
 */
export const openaiToAnthropic: Translator = {
  from: 'openai',
  to: 'anthropic',

  request(endpoint, body) {
    if (endpoint !== 'chat') {
      throw new ParapetError(
        'invalid_request',
        `The upstream for model '${asString(body.model) ?? ''}' speaks the Anthropic Messages API, which has no ${endpoint} endpoint; only /v1/chat/completions can be translated to it.`,
      );
    }
    return { endpoint: 'messages', body: chatToMessages(body) };
  },

  response(_endpoint, body) {
    if (body.type === 'error') return openaiErrorFrom(body);
    return messageToCompletion(body);
  },

  stream() {
    return anthropicEventsToChunks();
  },
};

// ---- request --------------------------------------------------------------------------------

function chatToMessages(body: JsonObject): JsonObject {
  const model = requireString(body.model, ['model'], true);
  if (typeof body.n === 'number' && body.n !== 1) throw unsupported(['n'], 'more than one choice (n > 1)');
  if (body.functions !== undefined || body.function_call !== undefined) {
    throw unsupported(['functions'], "legacy function calling; send 'tools' instead");
  }
  const format = asRecord(body.response_format);
  if (format !== undefined && format.type !== 'text')
    throw unsupported(['response_format'], 'structured output formats');
  const system: JsonObject[] = [];
  const messages: JsonObject[] = [];
  requireArray(body.messages, ['messages'], true).forEach((raw, i) => {
    const path = ['messages', i];
    const message = requireObject(raw, path);
    const role = requireString(message.role, [...path, 'role']);
    switch (role) {
      case 'system':
      case 'developer':
        // Anthropic has one top-level system prompt: system turns are hoisted there in order.
        for (const text of textParts(message.content, [...path, 'content']))
          system.push({ type: 'text', text });
        break;
      case 'user':
        messages.push({ role: 'user', content: userContent(message.content, [...path, 'content']) });
        break;
      case 'assistant':
        messages.push({ role: 'assistant', content: assistantContent(message, path) });
        break;
      case 'tool': {
        const content = textParts(message.content, [...path, 'content']).map((text) => ({
          type: 'text',
          text,
        }));
        const toolUseId = requireString(message.tool_call_id, [...path, 'tool_call_id']);
        messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUseId, content }] });
        break;
      }
      default:
        throw unsupported([...path, 'role'], `the '${role}' role`);
    }
  });
  const out: JsonObject = {
    model,
    messages: mergeSameRole(messages),
    max_tokens: asNumber(body.max_completion_tokens) ?? asNumber(body.max_tokens) ?? DEFAULT_MAX_TOKENS,
  };
  if (system.length > 0) out.system = system;
  if (typeof body.stop === 'string') out.stop_sequences = [body.stop];
  else if (Array.isArray(body.stop)) out.stop_sequences = body.stop;
  // Sampling values pass unchanged; Anthropic rejects a temperature above 1 with its own error.
  for (const key of ['temperature', 'top_p', 'stream'] as const)
    if (body[key] !== undefined) out[key] = body[key];
  const user = asString(body.user);
  if (user !== undefined) out.metadata = { user_id: user };
  if (body.tools !== undefined && body.tools !== null) out.tools = tools(body.tools);
  const choice = toolChoice(body.tool_choice, body.parallel_tool_calls === false);
  if (choice !== undefined) out.tool_choice = choice;
  return out;
}

function unsupported(path: JsonPath, what: string): ParapetError {
  return untranslatable(path, what, 'Anthropic Messages API');
}

/** The texts of a string or an array of text parts. */
function textParts(content: unknown, path: JsonPath): string[] {
  if (typeof content === 'string') return [content];
  if (content === null || content === undefined) return [];
  return requireArray(content, path).flatMap((raw, k) => {
    const part = requireObject(raw, [...path, k]);
    if (part.type === 'text') return [requireString(part.text, [...path, k, 'text'])];
    if (part.type === 'refusal') return [requireString(part.refusal, [...path, k, 'refusal'])];
    throw unsupported([...path, k, 'type'], `a '${typeName(part.type)}' part in this message`);
  });
}

function userContent(content: unknown, path: JsonPath): unknown {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw invalid(path, 'a string or an array of content parts', content);
  return content.map((raw, k) => {
    const part = requireObject(raw, [...path, k]);
    if (part.type === 'text') return { type: 'text', text: requireString(part.text, [...path, k, 'text']) };
    if (part.type === 'image_url') {
      const url = requireString(requireObject(part.image_url, [...path, k, 'image_url']).url, [
        ...path,
        k,
        'image_url',
        'url',
      ]);
      return { type: 'image', source: imageSource(url) };
    }
    throw unsupported([...path, k, 'type'], `a '${typeName(part.type)}' content part`);
  });
}

function imageSource(url: string): JsonObject {
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (data?.[1] !== undefined && data[2] !== undefined)
    return { type: 'base64', media_type: data[1], data: data[2] };
  return { type: 'url', url };
}

function assistantContent(message: Record<string, unknown>, path: JsonPath): JsonObject[] {
  const blocks: JsonObject[] = textParts(message.content, [...path, 'content'])
    .filter((text) => text !== '')
    .map((text) => ({ type: 'text', text }));
  if (message.tool_calls !== undefined && message.tool_calls !== null) {
    requireArray(message.tool_calls, [...path, 'tool_calls']).forEach((raw, j) => {
      const callPath = [...path, 'tool_calls', j];
      const call = requireObject(raw, callPath);
      const fn = requireObject(call.function, [...callPath, 'function']);
      blocks.push({
        type: 'tool_use',
        id: requireString(call.id, [...callPath, 'id']),
        name: requireString(fn.name, [...callPath, 'function', 'name']),
        input: parseToolArguments(requireString(fn.arguments, [...callPath, 'function', 'arguments']), [
          ...callPath,
          'function',
          'arguments',
        ]),
      });
    });
  }
  return blocks;
}

function tools(value: unknown): JsonObject[] {
  return requireArray(value, ['tools']).map((raw, i) => {
    const tool = requireObject(raw, ['tools', i]);
    if (tool.type !== 'function') throw unsupported(['tools', i, 'type'], `a '${typeName(tool.type)}' tool`);
    const fn = requireObject(tool.function, ['tools', i, 'function']);
    const out: JsonObject = {
      name: requireString(fn.name, ['tools', i, 'function', 'name'], true),
      input_schema: fn.parameters ?? { type: 'object', properties: {} },
    };
    if (typeof fn.description === 'string') out.description = fn.description;
    return out;
  });
}

function toolChoice(choice: unknown, noParallel: boolean): JsonObject | undefined {
  const parallel = noParallel ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined || choice === null) return noParallel ? { type: 'auto', ...parallel } : undefined;
  if (choice === 'auto') return { type: 'auto', ...parallel };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any', ...parallel };
  const name = asString(asRecord(asRecord(choice)?.function)?.name);
  if (name === undefined)
    throw invalid(['tool_choice'], "'auto', 'none', 'required' or a function choice", choice);
  return { type: 'tool', name, ...parallel };
}

// ---- response -------------------------------------------------------------------------------

const FINISH_REASONS: Readonly<Record<string, string>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

function finishReason(stopReason: unknown): string | null {
  if (typeof stopReason !== 'string') return null;
  return Object.hasOwn(FINISH_REASONS, stopReason) ? (FINISH_REASONS[stopReason] ?? 'stop') : 'stop';
}

function usageOf(usage: Record<string, unknown> | undefined, inputTokens = 0): JsonObject {
  const prompt =
    (asNumber(usage?.input_tokens) ?? inputTokens) +
    (asNumber(usage?.cache_creation_input_tokens) ?? 0) +
    (asNumber(usage?.cache_read_input_tokens) ?? 0);
  const completion = asNumber(usage?.output_tokens) ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function messageToCompletion(body: JsonObject): JsonObject {
  const content = Array.isArray(body.content) ? body.content : [];
  const texts: string[] = [];
  const toolCalls: JsonObject[] = [];
  for (const raw of content) {
    const block = asRecord(raw);
    if (block?.type === 'text' && typeof block.text === 'string') texts.push(block.text);
    if (block?.type === 'tool_use') {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const message: JsonObject = {
    role: 'assistant',
    content: texts.length > 0 ? texts.join('') : null,
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: body.id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(body.stop_reason) ?? 'stop' }],
    usage: usageOf(asRecord(body.usage)),
  };
}

function openaiErrorFrom(body: JsonObject): JsonObject {
  const error = asRecord(body.error);
  return {
    error: {
      message: asString(error?.message) ?? 'The upstream reported an error.',
      type: asString(error?.type) ?? 'upstream_error',
      param: null,
      code: null,
    },
  };
}

// ---- stream ---------------------------------------------------------------------------------

function anthropicEventsToChunks(): (event: SseEvent) => SseEvent[] {
  let id = '';
  let model = '';
  const created = Math.floor(Date.now() / 1000);
  let inputTokens = 0;
  /** Anthropic block index → OpenAI tool-call index. */
  const toolIndexOf = new Map<number, number>();
  const chunk = (delta: JsonObject, finish: string | null = null, extra: JsonObject = {}): SseEvent =>
    jsonEvent({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...extra,
    });

  return (event) => {
    const data = parseJson(event.data);
    switch (asString(data?.type) ?? event.event) {
      case 'message_start': {
        const message = asRecord(data?.message);
        id = asString(message?.id) ?? '';
        model = asString(message?.model) ?? '';
        inputTokens = asNumber(asRecord(message?.usage)?.input_tokens) ?? 0;
        return [chunk({ role: 'assistant', content: '' })];
      }
      case 'content_block_start': {
        const block = asRecord(data?.content_block);
        const index = asNumber(data?.index) ?? 0;
        if (block?.type === 'tool_use') {
          const toolIndex = toolIndexOf.size;
          toolIndexOf.set(index, toolIndex);
          const call = {
            index: toolIndex,
            id: block.id,
            type: 'function',
            function: { name: block.name, arguments: '' },
          };
          return [chunk({ tool_calls: [call] })];
        }
        if (block?.type === 'text' && typeof block.text === 'string' && block.text !== '') {
          return [chunk({ content: block.text })];
        }
        return [];
      }
      case 'content_block_delta': {
        const delta = asRecord(data?.delta);
        if (delta?.type === 'text_delta') return [chunk({ content: delta.text })];
        if (delta?.type === 'input_json_delta') {
          const toolIndex = toolIndexOf.get(asNumber(data?.index) ?? 0) ?? 0;
          return [chunk({ tool_calls: [{ index: toolIndex, function: { arguments: delta.partial_json } }] })];
        }
        return [];
      }
      case 'message_delta': {
        const delta = asRecord(data?.delta);
        const usage = usageOf(asRecord(data?.usage), inputTokens);
        return [chunk({}, finishReason(delta?.stop_reason) ?? 'stop', { usage })];
      }
      case 'message_stop':
        return [sseEvent({ data: '[DONE]' })];
      case 'error':
        // The OpenAI SDKs raise an APIError for a chunk carrying `error`.
        return [jsonEvent(openaiErrorFrom(data ?? {}))];
      default:
        // ping, content_block_stop and unknown events have no OpenAI counterpart.
        return [];
    }
  };
}
