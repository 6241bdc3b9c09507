import type {
  Conversation,
  JsonPath,
  Message,
  TextSegment,
  ToolCall,
  ToolDefinition,
} from '../core/conversation.ts';
import { ParapetError } from '../core/errors.ts';
import type { JsonObject, OutputText, ProviderAdapter } from '../core/provider.ts';
import {
  asNumber,
  asRecord,
  asString,
  invalid,
  requireArray,
  requireObject,
  requireString,
  streamFlag,
} from './fields.ts';
import { stoppedNotice } from './openai.ts';
import { jsonEvent } from './sse.ts';

/** The Anthropic Messages API: `/v1/messages`. */
export const anthropicAdapter: ProviderAdapter = {
  api: 'anthropic',

  parseRequest(endpoint, body) {
    if (endpoint !== 'messages') {
      throw new ParapetError('invalid_request', `The Anthropic API has no '${endpoint}' endpoint.`);
    }
    return parseMessages(body);
  },

  responseTexts(_endpoint, body) {
    const content = Array.isArray(body.content) ? body.content : [];
    const texts: OutputText[] = [];
    content.forEach((raw, k) => {
      const block = asRecord(raw);
      if (block?.type === 'text' && typeof block.text === 'string' && block.text !== '') {
        texts.push({
          channel: `block:${k}`,
          origin: 'assistant',
          text: block.text,
          path: ['content', k, 'text'],
        });
      } else if (block?.type === 'tool_use' && block.input !== undefined) {
        // Scanners read the input as JSON text; the guard writes edits back through the same serialisation.
        texts.push({
          channel: `block:${k}`,
          origin: 'tool_call_arguments',
          text: JSON.stringify(block.input),
          path: ['content', k, 'input'],
          toolName: asString(block.name),
        });
      }
    });
    return texts;
  },

  streamReader() {
    const toolNames = new Map<number, string>();
    return (event, data) => {
      const payload = asRecord(data);
      const type = asString(payload?.type) ?? event.event;
      const index = asNumber(payload?.index) ?? 0;
      const channel = `block:${index}`;
      const texts: OutputText[] = [];
      switch (type) {
        case 'content_block_start': {
          const block = asRecord(payload?.content_block);
          if (block?.type === 'tool_use') {
            const name = asString(block.name);
            if (name !== undefined) toolNames.set(index, name);
          } else if (block?.type === 'text' && typeof block.text === 'string' && block.text !== '') {
            texts.push({ channel, origin: 'assistant', text: block.text, path: ['content_block', 'text'] });
          }
          return { texts, closes: [], terminal: false };
        }
        case 'content_block_delta': {
          const delta = asRecord(payload?.delta);
          if (delta?.type === 'text_delta' && typeof delta.text === 'string' && delta.text !== '') {
            texts.push({ channel, origin: 'assistant', text: delta.text, path: ['delta', 'text'] });
          } else if (
            delta?.type === 'input_json_delta' &&
            typeof delta.partial_json === 'string' &&
            delta.partial_json !== ''
          ) {
            texts.push({
              channel,
              origin: 'tool_call_arguments',
              text: delta.partial_json,
              path: ['delta', 'partial_json'],
              toolName: toolNames.get(index),
            });
          }
          return { texts, closes: [], terminal: false };
        }
        case 'content_block_stop':
          return { texts, closes: [channel], terminal: false };
        // `error` ends the stream just as `message_stop` does: nothing follows it.
        case 'message_stop':
        case 'error':
          return { texts, closes: [], terminal: true };
        default:
          return { texts, closes: [], terminal: false };
      }
    };
  },

  blockedStreamEnd(_endpoint, error, openChannels) {
    const notice = stoppedNotice(error);
    const events = [];
    for (const index of blockIndices(openChannels)) {
      // On a tool_use block the SDKs ignore a text delta; the reason still arrives in `stop_details`.
      events.push(
        jsonEvent(
          { type: 'content_block_delta', index, delta: { type: 'text_delta', text: notice } },
          'content_block_delta',
        ),
        jsonEvent({ type: 'content_block_stop', index }, 'content_block_stop'),
      );
    }
    events.push(
      jsonEvent(
        {
          type: 'message_delta',
          delta: {
            stop_reason: 'refusal',
            stop_sequence: null,
            stop_details: { type: 'refusal', category: null, explanation: error.error.message },
          },
          usage: { output_tokens: 0 },
          parapet: error,
        },
        'message_delta',
      ),
      jsonEvent({ type: 'message_stop' }, 'message_stop'),
    );
    return events;
  },
};

function blockIndices(channels: readonly string[]): number[] {
  const indices = new Set<number>();
  for (const channel of channels) {
    const match = /^block:(\d+)/.exec(channel);
    if (match?.[1] !== undefined) indices.add(Number(match[1]));
  }
  return [...indices].sort((a, b) => a - b);
}

// ---- requests -------------------------------------------------------------------------------

function parseMessages(body: JsonObject): Conversation {
  const model = requireString(body.model, ['model'], true);
  const stream = streamFlag(body);
  const messages: Message[] = [];
  const system = parseSystem(body.system);
  if (system !== undefined) messages.push(system);
  requireArray(body.messages, ['messages'], true).forEach((raw, i) => {
    messages.push(...parseMessage(raw, i));
  });
  return { api: 'anthropic', endpoint: 'messages', model, stream, messages, tools: parseTools(body.tools) };
}

function parseSystem(system: unknown): Message | undefined {
  if (system === undefined || system === null) return undefined;
  const segment = (text: string, path: JsonPath): TextSegment => ({
    text,
    role: 'system',
    origin: 'system',
    path,
    messageIndex: -1,
  });
  if (typeof system === 'string')
    return { role: 'system', segments: [segment(system, ['system'])], toolCalls: [] };
  if (!Array.isArray(system)) throw invalid(['system'], 'a string or an array of text blocks', system);
  const segments = system.map((raw, k) => {
    const block = requireObject(raw, ['system', k]);
    if (block.type !== 'text') throw invalid(['system', k, 'type'], "'text'", block.type);
    return segment(requireString(block.text, ['system', k, 'text']), ['system', k, 'text']);
  });
  return { role: 'system', segments, toolCalls: [] };
}

/**
 * One Anthropic message may become several conversation messages: each `tool_result` block is a
 * tool message of its own (untrusted content, answering one call), and the blocks between them
 * stay together as the user's turn, in their original order.
 */
function parseMessage(raw: unknown, index: number): Message[] {
  const path = ['messages', index];
  const message = requireObject(raw, path);
  const role = message.role;
  if (role !== 'user' && role !== 'assistant') {
    throw new ParapetError('invalid_request', `'messages[${index}].role' must be 'user' or 'assistant'.`, {
      param: `messages[${index}].role`,
    });
  }
  const origin = role === 'user' ? 'prompt' : 'assistant';
  const contentPath = [...path, 'content'];
  if (typeof message.content === 'string') {
    return [
      {
        role,
        segments: [{ text: message.content, role, origin, path: contentPath, messageIndex: index }],
        toolCalls: [],
      },
    ];
  }
  const blocks = requireArrayOfBlocks(message.content, contentPath);
  const out: Message[] = [];
  let turn: { segments: TextSegment[]; toolCalls: ToolCall[] } | undefined;
  blocks.forEach((block, k) => {
    const blockPath = [...contentPath, k];
    if (block.type === 'tool_result') {
      turn = undefined;
      out.push(toolResult(block, blockPath, index));
      return;
    }
    if (turn === undefined) {
      turn = { segments: [], toolCalls: [] };
      out.push({ role, ...turn });
    }
    switch (block.type) {
      case 'text':
        turn.segments.push({
          text: requireString(block.text, [...blockPath, 'text']),
          role,
          origin,
          path: [...blockPath, 'text'],
          messageIndex: index,
        });
        break;
      case 'tool_use': {
        const id = requireString(block.id, [...blockPath, 'id']);
        const name = requireString(block.name, [...blockPath, 'name']);
        const args = JSON.stringify(requireObject(block.input, [...blockPath, 'input']));
        const argsPath = [...blockPath, 'input'];
        turn.toolCalls.push({ id, name, arguments: args, path: argsPath });
        turn.segments.push({
          text: args,
          role,
          origin: 'tool_call_arguments',
          path: argsPath,
          messageIndex: index,
        });
        break;
      }
      case 'document':
        turn.segments.push(...documentSegments(block, blockPath, role, index));
        break;
      // Images, thinking and server-tool blocks carry no caller text to scan; they pass through.
    }
  });
  return out;
}

function requireArrayOfBlocks(value: unknown, path: JsonPath): Record<string, unknown>[] {
  if (!Array.isArray(value)) throw invalid(path, 'a string or an array of content blocks', value);
  return value.map((raw, k) => {
    const block = requireObject(raw, [...path, k]);
    requireString(block.type, [...path, k, 'type']);
    return block;
  });
}

function toolResult(block: Record<string, unknown>, path: JsonPath, messageIndex: number): Message {
  const toolCallId = requireString(block.tool_use_id, [...path, 'tool_use_id']);
  const segments: TextSegment[] = [];
  const content = block.content;
  const segment = (text: string, at: JsonPath): TextSegment => ({
    text,
    role: 'tool',
    origin: 'tool_result',
    path: at,
    messageIndex,
  });
  if (typeof content === 'string') segments.push(segment(content, [...path, 'content']));
  else if (content !== undefined && content !== null) {
    requireArrayOfBlocks(content, [...path, 'content']).forEach((inner, n) => {
      const innerPath = [...path, 'content', n];
      if (inner.type === 'text')
        segments.push(segment(requireString(inner.text, [...innerPath, 'text']), [...innerPath, 'text']));
      else if (inner.type === 'document') {
        // A document inside a tool result is the tool's output: as untrusted as the rest of it.
        for (const s of documentSegments(inner, innerPath, 'tool', messageIndex))
          segments.push({ ...s, origin: 'tool_result' });
      }
    });
  }
  return { role: 'tool', segments, toolCalls: [], toolCallId };
}

/** Plain-text documents (`source.type` `text` or `content`) are scanned as untrusted documents. */
function documentSegments(
  block: Record<string, unknown>,
  path: JsonPath,
  role: 'user' | 'assistant' | 'tool',
  messageIndex: number,
): TextSegment[] {
  const source = asRecord(block.source);
  const sourcePath = [...path, 'source'];
  const segment = (text: string, at: JsonPath): TextSegment => ({
    text,
    role,
    origin: 'document',
    path: at,
    messageIndex,
  });
  if (source?.type === 'text')
    return [segment(requireString(source.data, [...sourcePath, 'data']), [...sourcePath, 'data'])];
  if (source?.type === 'content') {
    if (typeof source.content === 'string') return [segment(source.content, [...sourcePath, 'content'])];
    return requireArrayOfBlocks(source.content, [...sourcePath, 'content']).flatMap((inner, n) =>
      inner.type === 'text'
        ? [
            segment(requireString(inner.text, [...sourcePath, 'content', n, 'text']), [
              ...sourcePath,
              'content',
              n,
              'text',
            ]),
          ]
        : [],
    );
  }
  // Base64 PDFs and URLs are not text Parapet can read.
  return [];
}

function parseTools(tools: unknown): ToolDefinition[] {
  if (tools === undefined || tools === null) return [];
  return requireArray(tools, ['tools']).map((raw, i) => {
    const path = ['tools', i];
    const tool = requireObject(raw, path);
    return {
      name: requireString(tool.name, [...path, 'name'], true),
      description: asString(tool.description) ?? '',
      parameters: tool.input_schema,
      path,
    };
  });
}
