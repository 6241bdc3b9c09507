import type { JsonPath } from '../../core/conversation.ts';
import type { JsonObject } from '../../core/provider.ts';
import { ParapetError } from '../../core/errors.ts';
import { asRecord, describe, invalid } from '../fields.ts';
import { formatPath } from '../json-path.ts';

/**
 * Join adjacent turns of the same role. Anthropic expects user and assistant to alternate, and
 * OpenAI's separate tool-result messages become user turns there.
 */
export function mergeSameRole(messages: readonly JsonObject[]): JsonObject[] {
  const merged: JsonObject[] = [];
  for (const message of messages) {
    const previous = merged.at(-1);
    if (previous === undefined || previous.role !== message.role) {
      merged.push({ ...message });
      continue;
    }
    previous.content = [...asBlocks(previous.content), ...asBlocks(message.content)];
  }
  return merged;
}

function asBlocks(content: unknown): unknown[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return Array.isArray(content) ? content : [];
}

/** Tool-call arguments are JSON object text in OpenAI and an object in Anthropic. */
export function parseToolArguments(text: string, path: JsonPath): JsonObject {
  const value = parseJsonValue(text === '' ? '{}' : text);
  const object = asRecord(value);
  if (object !== undefined) return object;
  if (value !== INVALID) throw invalid(path, 'JSON text of an object', value);
  const param = formatPath(path);
  throw new ParapetError(
    'invalid_request',
    `'${param}' must be JSON text of an object, got text that is not JSON.`,
    {
      param,
    },
  );
}

const INVALID = Symbol('invalid JSON');

function parseJsonValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID;
  }
}

/** The JSON object in an event's data, or undefined. */
export function parseJson(data: string): Record<string, unknown> | undefined {
  return asRecord(parseJsonValue(data));
}

/** A block or part `type` for an error message, without echoing non-string values. */
export function typeName(value: unknown): string {
  return typeof value === 'string' ? value : describe(value);
}
