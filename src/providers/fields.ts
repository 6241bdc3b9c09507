import type { JsonPath } from '../core/conversation.ts';
import { ParapetError } from '../core/errors.ts';
import { formatPath, isPlainObject } from './json-path.ts';

/** Shared request-validation helpers: every error names the field and what was expected. */

export function invalid(path: JsonPath, expected: string, got: unknown): ParapetError {
  const param = formatPath(path);
  return new ParapetError('invalid_request', `'${param}' must be ${expected}, got ${describe(got)}.`, {
    param,
  });
}

/** A valid request that the other wire API cannot express, e.g. `n > 1` for Anthropic. */
export function untranslatable(path: JsonPath, what: string, target: string): ParapetError {
  const param = formatPath(path);
  return new ParapetError('invalid_request', `'${param}': ${what} cannot be translated to the ${target}.`, {
    param,
  });
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (value === '') return 'an empty string';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function requireObject(value: unknown, path: JsonPath): Record<string, unknown> {
  if (!isPlainObject(value)) throw invalid(path, 'an object', value);
  return value;
}

export function requireArray(value: unknown, path: JsonPath, nonEmpty = false): unknown[] {
  if (!Array.isArray(value)) throw invalid(path, nonEmpty ? 'a non-empty array' : 'an array', value);
  if (nonEmpty && value.length === 0) throw invalid(path, 'a non-empty array', value);
  return value;
}

export function requireString(value: unknown, path: JsonPath, nonEmpty = false): string {
  if (typeof value !== 'string' || (nonEmpty && value === '')) {
    throw invalid(path, nonEmpty ? 'a non-empty string' : 'a string', value);
  }
  return value;
}

export function optionalString(value: unknown, path: JsonPath): string | undefined {
  return value === undefined || value === null ? undefined : requireString(value, path);
}

export function streamFlag(body: Record<string, unknown>): boolean {
  const stream = body.stream;
  if (stream === undefined || stream === null) return false;
  if (typeof stream !== 'boolean') throw invalid(['stream'], 'a boolean', stream);
  return stream;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return isPlainObject(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
