import type { JsonPath } from '../core/conversation.ts';
import { ParapetError } from '../core/errors.ts';
import type { JsonObject } from '../core/provider.ts';
import { applyRewrites } from '../core/guard.ts';
import type { SegmentEdit } from '../core/guard.ts';

/** The value at `path`, or undefined when any step is missing or of the wrong kind. */
export function getAtPath(root: unknown, path: JsonPath): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(node)) return undefined;
      node = node[key];
    } else {
      if (!isPlainObject(node) || !Object.hasOwn(node, key)) return undefined;
      node = node[key];
    }
  }
  return node;
}

/**
 * Replace the value at `path` in place. Every step except the last must already exist: paths come
 * from parsing this same body, so a missing step means a bug, and writing it would invent fields.
 */
export function setAtPath(root: unknown, path: JsonPath, value: unknown): void {
  const last = path.at(-1);
  if (last === undefined) throw internal('cannot replace the root of a body');
  const parent = getAtPath(root, path.slice(0, -1));
  if (typeof last === 'number') {
    if (!Array.isArray(parent) || last < 0 || last >= parent.length) throw missing(path);
    parent[last] = value;
  } else {
    if (!isPlainObject(parent) || !Object.hasOwn(parent, last)) throw missing(path);
    parent[last] = value;
  }
}

/**
 * Apply span rewrites to the strings at the edited paths, in place, and return the same body.
 * A path may also point at a JSON value that was scanned in serialised form (an Anthropic
 * `tool_use.input` object): its serialisation is rewritten and parsed back, and a rewrite that
 * breaks the JSON fails closed rather than forwarding a half-edited value.
 */
export function applySegmentEdits(body: JsonObject, edits: readonly SegmentEdit[]): JsonObject {
  for (const edit of edits) {
    if (edit.rewrites.length === 0) continue;
    const current = getAtPath(body, edit.path);
    if (typeof current === 'string') {
      setAtPath(body, edit.path, applyRewrites(current, edit.rewrites));
    } else if (current !== undefined) {
      setAtPath(body, edit.path, rewriteSerialised(current, edit));
    } else {
      throw missing(edit.path);
    }
  }
  return body;
}

/** Rewrite a JSON value through its `JSON.stringify` text (the form adapters hand to scanners). */
export function rewriteSerialised(value: unknown, edit: SegmentEdit): unknown {
  const rewritten = applyRewrites(JSON.stringify(value), edit.rewrites);
  try {
    return JSON.parse(rewritten) as unknown;
  } catch {
    throw internal(`a rewrite at ${formatPath(edit.path)} left invalid JSON`);
  }
}

/** `['messages', 2, 'content']` → `messages[2].content`, the form error `param`s use. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? key : `.${key}`;
  return out;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function missing(path: JsonPath): ParapetError {
  return internal(`no value at ${formatPath(path)} to rewrite`);
}

function internal(message: string): ParapetError {
  return new ParapetError('internal_error', message);
}
