import type {
  Conversation,
  Endpoint,
  JsonPath,
  Message,
  Origin,
  Role,
  TextSegment,
  ToolCall,
  ToolDefinition,
} from '../core/conversation.ts';
import { ParapetError } from '../core/errors.ts';
import type { ErrorBody } from '../core/errors.ts';
import type { JsonObject, OutputText, ProviderAdapter, SseEvent } from '../core/provider.ts';
import {
  asNumber,
  asRecord,
  asString,
  invalid,
  optionalString,
  requireArray,
  requireObject,
  requireString,
  streamFlag,
} from './fields.ts';
import { jsonEvent, sseEvent } from './sse.ts';

/** The OpenAI wire API: `/v1/chat/completions`, `/v1/completions`, `/v1/embeddings`. */
export const openaiAdapter: ProviderAdapter = {
  api: 'openai',

  parseRequest(endpoint, body) {
    switch (endpoint) {
      case 'chat':
        return parseChat(body);
      case 'completions':
        return parseCompletions(body);
      case 'embeddings':
        return parseEmbeddings(body);
      case 'messages':
        throw wrongEndpoint(endpoint);
    }
  },

  responseTexts(endpoint, body) {
    const choices = Array.isArray(body.choices) ? body.choices : [];
    const texts: OutputText[] = [];
    choices.forEach((raw, position) => {
      const choice = asRecord(raw);
      if (choice === undefined) return;
      const index = asNumber(choice.index) ?? position;
      if (endpoint === 'completions') {
        pushText(texts, `choice:${index}`, 'assistant', choice.text, ['choices', position, 'text']);
        return;
      }
      const message = asRecord(choice.message);
      if (message === undefined) return;
      const base = ['choices', position, 'message'];
      pushText(texts, `choice:${index}`, 'assistant', message.content, [...base, 'content']);
      const toolCalls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
      toolCalls.forEach((rawCall, j) => {
        const fn = asRecord(asRecord(rawCall)?.function);
        if (fn === undefined) return;
        const path = [...base, 'tool_calls', j, 'function', 'arguments'];
        pushText(
          texts,
          `choice:${index}/tool:${j}`,
          'tool_call_arguments',
          fn.arguments,
          path,
          asString(fn.name),
        );
      });
      const legacyCall = asRecord(message.function_call);
      if (legacyCall !== undefined) {
        const path = [...base, 'function_call', 'arguments'];
        const name = asString(legacyCall.name);
        pushText(texts, `choice:${index}/function`, 'tool_call_arguments', legacyCall.arguments, path, name);
      }
    });
    return texts;
  },

  streamReader(endpoint) {
    const toolNames = new Map<string, string>();
    const openByChoice = new Map<number, Set<string>>();
    return (event, data) => {
      if (isDone(event)) return { texts: [], closes: [], terminal: true };
      const chunk = asRecord(data);
      const choices = chunk !== undefined && Array.isArray(chunk.choices) ? chunk.choices : [];
      const texts: OutputText[] = [];
      const closes: string[] = [];
      choices.forEach((raw, position) => {
        const choice = asRecord(raw);
        if (choice === undefined) return;
        const index = asNumber(choice.index) ?? position;
        const before = texts.length;
        if (endpoint === 'completions') {
          pushText(texts, `choice:${index}`, 'assistant', choice.text, ['choices', position, 'text']);
        } else {
          readChatDelta(texts, toolNames, index, position, asRecord(choice.delta));
        }
        let open = openByChoice.get(index);
        for (const text of texts.slice(before)) {
          if (open === undefined) openByChoice.set(index, (open = new Set()));
          open.add(text.channel);
        }
        if (choice.finish_reason !== undefined && choice.finish_reason !== null && open !== undefined) {
          closes.push(...open);
          openByChoice.delete(index);
        }
      });
      return { texts, closes, terminal: false };
    };
  },

  blockedStreamEnd(endpoint, error, openChannels) {
    const notice = stoppedNotice(error);
    const indices = choiceIndices(openChannels);
    const choices = indices.map((index) =>
      endpoint === 'completions'
        ? { index, text: notice, logprobs: null, finish_reason: 'content_filter' }
        : // The role is repeated because the chunk that carried it may have been held and dropped.
          {
            index,
            delta: { role: 'assistant', content: notice },
            logprobs: null,
            finish_reason: 'content_filter',
          },
    );
    const object = endpoint === 'completions' ? 'text_completion' : 'chat.completion.chunk';
    return [jsonEvent({ object, choices, parapet: error }), sseEvent({ data: '[DONE]' })];
  },
};

/** The text a client sees where a blocked answer stops. */
export function stoppedNotice(error: ErrorBody): string {
  return `\n\n[Parapet: answer stopped — ${error.error.message}]`;
}

function choiceIndices(channels: readonly string[]): number[] {
  const indices = new Set<number>();
  for (const channel of channels) {
    const match = /^choice:(\d+)/.exec(channel);
    if (match?.[1] !== undefined) indices.add(Number(match[1]));
  }
  return indices.size === 0 ? [0] : [...indices].sort((a, b) => a - b);
}

function isDone(event: SseEvent): boolean {
  return event.data.trim() === '[DONE]';
}

function readChatDelta(
  texts: OutputText[],
  toolNames: Map<string, string>,
  index: number,
  position: number,
  delta: Record<string, unknown> | undefined,
): void {
  if (delta === undefined) return;
  const base = ['choices', position, 'delta'];
  pushText(texts, `choice:${index}`, 'assistant', delta.content, [...base, 'content']);
  const toolCalls = Array.isArray(delta.tool_calls) ? delta.tool_calls : [];
  toolCalls.forEach((rawCall, k) => {
    const call = asRecord(rawCall);
    const fn = asRecord(call?.function);
    if (call === undefined || fn === undefined) return;
    // Deltas of one call share its `index`; the array position only orders calls in this chunk.
    const channel = `choice:${index}/tool:${asNumber(call.index) ?? k}`;
    const name = asString(fn.name);
    if (name !== undefined && name !== '') toolNames.set(channel, name);
    const path = [...base, 'tool_calls', k, 'function', 'arguments'];
    pushText(texts, channel, 'tool_call_arguments', fn.arguments, path, toolNames.get(channel));
  });
  const legacyCall = asRecord(delta.function_call);
  if (legacyCall !== undefined) {
    const channel = `choice:${index}/function`;
    const name = asString(legacyCall.name);
    if (name !== undefined && name !== '') toolNames.set(channel, name);
    const path = [...base, 'function_call', 'arguments'];
    pushText(texts, channel, 'tool_call_arguments', legacyCall.arguments, path, toolNames.get(channel));
  }
}

function pushText(
  texts: OutputText[],
  channel: string,
  origin: OutputText['origin'],
  value: unknown,
  path: JsonPath,
  toolName?: string,
): void {
  if (typeof value !== 'string' || value === '') return;
  texts.push({ channel, origin, text: value, path, toolName });
}

function wrongEndpoint(endpoint: Endpoint): ParapetError {
  return new ParapetError('invalid_request', `The OpenAI API has no '${endpoint}' endpoint.`);
}

// ---- requests -------------------------------------------------------------------------------

const CHAT_ROLES: Readonly<Record<string, { role: Role; origin: Origin }>> = {
  system: { role: 'system', origin: 'system' },
  developer: { role: 'developer', origin: 'system' },
  user: { role: 'user', origin: 'prompt' },
  assistant: { role: 'assistant', origin: 'assistant' },
  tool: { role: 'tool', origin: 'tool_result' },
  // Legacy function-calling results.
  function: { role: 'tool', origin: 'tool_result' },
};

function parseChat(body: JsonObject): Conversation {
  const model = requireString(body.model, ['model'], true);
  const stream = streamFlag(body);
  const messages = requireArray(body.messages, ['messages'], true).map((m, i) => parseChatMessage(m, i));
  const conversation: Conversation = {
    api: 'openai',
    endpoint: 'chat',
    model,
    stream,
    messages,
    tools: parseTools(body),
  };
  const responseSchema = responseSchemaOf(body.response_format);
  return responseSchema === undefined ? conversation : { ...conversation, responseSchema };
}

/** The schema a structured-output request asks for; the upstream validates the request itself. */
function responseSchemaOf(format: unknown): unknown {
  const record = asRecord(format);
  if (record?.type === 'json_object') return { type: 'object' };
  if (record?.type !== 'json_schema') return undefined;
  return asRecord(asRecord(record.json_schema)?.schema);
}

function parseChatMessage(raw: unknown, index: number): Message {
  const path = ['messages', index];
  const message = requireObject(raw, path);
  const roleName = requireString(message.role, [...path, 'role']);
  const kind = Object.hasOwn(CHAT_ROLES, roleName) ? CHAT_ROLES[roleName] : undefined;
  if (kind === undefined) {
    throw new ParapetError(
      'invalid_request',
      `'messages[${index}].role' must be one of ${Object.keys(CHAT_ROLES).join(', ')}.`,
      { param: `messages[${index}].role` },
    );
  }
  const segments = contentSegments(message.content, [...path, 'content'], kind, index);
  const toolCalls: ToolCall[] = [];
  if (roleName === 'assistant') {
    if (message.tool_calls !== undefined && message.tool_calls !== null) {
      requireArray(message.tool_calls, [...path, 'tool_calls']).forEach((call, j) => {
        toolCalls.push(parseToolCall(call, [...path, 'tool_calls', j]));
      });
    }
    if (message.function_call !== undefined && message.function_call !== null) {
      const callPath = [...path, 'function_call'];
      const call = requireObject(message.function_call, callPath);
      const name = requireString(call.name, [...callPath, 'name']);
      const args = requireString(call.arguments, [...callPath, 'arguments']);
      toolCalls.push({ id: '', name, arguments: args, path: [...callPath, 'arguments'] });
    }
  }
  for (const call of toolCalls) {
    segments.push({
      text: call.arguments,
      role: 'assistant',
      origin: 'tool_call_arguments',
      path: call.path,
      messageIndex: index,
    });
  }
  const result: Message = { role: kind.role, segments, toolCalls };
  if (roleName === 'tool') {
    return { ...result, toolCallId: requireString(message.tool_call_id, [...path, 'tool_call_id']) };
  }
  if (roleName === 'function') {
    return { ...result, toolCallId: requireString(message.name, [...path, 'name']) };
  }
  return result;
}

function contentSegments(
  content: unknown,
  path: JsonPath,
  kind: { role: Role; origin: Origin },
  messageIndex: number,
): TextSegment[] {
  const segment = (text: string, at: JsonPath): TextSegment => ({ text, ...kind, path: at, messageIndex });
  if (typeof content === 'string') return [segment(content, path)];
  // Assistant turns that only call tools carry no content.
  if ((content === null || content === undefined) && kind.role === 'assistant') return [];
  if (!Array.isArray(content)) throw invalid(path, 'a string or an array of content parts', content);
  const segments: TextSegment[] = [];
  content.forEach((rawPart, k) => {
    const part = requireObject(rawPart, [...path, k]);
    const type = requireString(part.type, [...path, k, 'type']);
    if (type === 'text')
      segments.push(segment(requireString(part.text, [...path, k, 'text']), [...path, k, 'text']));
    else if (type === 'refusal') {
      segments.push(segment(requireString(part.refusal, [...path, k, 'refusal']), [...path, k, 'refusal']));
    }
    // Images, audio and files carry no text to scan; they pass through untouched.
  });
  return segments;
}

function parseToolCall(raw: unknown, path: JsonPath): ToolCall {
  const call = requireObject(raw, path);
  const id = requireString(call.id, [...path, 'id']);
  if (call.type === 'custom') {
    const custom = requireObject(call.custom, [...path, 'custom']);
    const name = requireString(custom.name, [...path, 'custom', 'name']);
    const input = requireString(custom.input, [...path, 'custom', 'input']);
    return { id, name, arguments: input, path: [...path, 'custom', 'input'] };
  }
  const fn = requireObject(call.function, [...path, 'function']);
  const name = requireString(fn.name, [...path, 'function', 'name']);
  const args = requireString(fn.arguments, [...path, 'function', 'arguments']);
  return { id, name, arguments: args, path: [...path, 'function', 'arguments'] };
}

function parseTools(body: JsonObject): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  if (body.tools !== undefined && body.tools !== null) {
    requireArray(body.tools, ['tools']).forEach((raw, i) => {
      const path = ['tools', i];
      const tool = requireObject(raw, path);
      const key = tool.type === 'custom' ? 'custom' : 'function';
      if (tool.type !== undefined && tool.type !== 'function' && tool.type !== 'custom') return;
      tools.push(toolDefinition(requireObject(tool[key], [...path, key]), [...path, key], key === 'custom'));
    });
  }
  if (body.functions !== undefined && body.functions !== null) {
    requireArray(body.functions, ['functions']).forEach((raw, i) => {
      tools.push(toolDefinition(requireObject(raw, ['functions', i]), ['functions', i], false));
    });
  }
  return tools;
}

function toolDefinition(fn: Record<string, unknown>, path: JsonPath, custom: boolean): ToolDefinition {
  return {
    name: requireString(fn.name, [...path, 'name'], true),
    description: optionalString(fn.description, [...path, 'description']) ?? '',
    parameters: custom ? fn.format : fn.parameters,
    path,
  };
}

function parseCompletions(body: JsonObject): Conversation {
  const model = requireString(body.model, ['model'], true);
  const stream = streamFlag(body);
  const segments = textOrList(body.prompt, ['prompt'], 'prompt', false);
  if (typeof body.suffix === 'string') segments.push(userSegment(body.suffix, ['suffix'], 'prompt'));
  const messages = [{ role: 'user' as const, segments, toolCalls: [] }];
  return { api: 'openai', endpoint: 'completions', model, stream, messages, tools: [] };
}

function parseEmbeddings(body: JsonObject): Conversation {
  const model = requireString(body.model, ['model'], true);
  const segments = textOrList(body.input, ['input'], 'embedding_input', true);
  const messages = [{ role: 'user' as const, segments, toolCalls: [] }];
  return { api: 'openai', endpoint: 'embeddings', model, stream: false, messages, tools: [] };
}

/**
 * `prompt` / `input`: a string, a list of strings, or token ids (a list of numbers or of lists
 * of numbers). Token ids are not text and are not scanned.
 */
function textOrList(value: unknown, path: JsonPath, origin: Origin, required: boolean): TextSegment[] {
  const expected = 'a string, an array of strings, or an array of token ids';
  if (value === undefined || value === null) {
    if (required) throw invalid(path, expected, value);
    return [];
  }
  if (typeof value === 'string') return [userSegment(value, path, origin)];
  if (!Array.isArray(value)) throw invalid(path, expected, value);
  const segments: TextSegment[] = [];
  value.forEach((item, i) => {
    if (typeof item === 'string') segments.push(userSegment(item, [...path, i], origin));
    else if (!isTokenIds(item))
      throw invalid([...path, i], 'a string, a token id or an array of token ids', item);
  });
  return segments;
}

function isTokenIds(value: unknown): boolean {
  return typeof value === 'number' || (Array.isArray(value) && value.every((v) => typeof v === 'number'));
}

function userSegment(text: string, path: JsonPath, origin: Origin): TextSegment {
  return { text, role: 'user', origin, path, messageIndex: 0 };
}
