import { Environment } from '@marcbachmann/cel-js';
import { RE2JS } from 're2js';

/**
 * CEL conditions for tool rules (`spec.tools.rules[].when`). Each expression is parsed and
 * type-checked once, when the policy loads; the hot path only evaluates the compiled program.
 *
 * Variables: `args` (the call's parsed JSON arguments), `identity`, `request`, `context`
 * (`context.untrusted`, `context.calls`). Integral JSON numbers become CEL `int` so both
 * `args.amount > 100` and `args.count + 1 == 3` work as a policy author expects.
 *
 * Regular expressions: the library's built-in `matches` uses the backtracking JavaScript engine
 * and cannot be replaced, so it is rejected at load; `string.re2(pattern)` runs RE2 (linear time,
 * via re2js) instead.
 */

export interface ConditionInput {
  readonly args: unknown;
  readonly identity: Readonly<Record<string, unknown>>;
  readonly request: Readonly<Record<string, unknown>>;
  readonly context: Readonly<Record<string, unknown>>;
}

/** The variables of one evaluation, converted once and shared by every rule a call is checked against. */
export interface Activation {
  readonly args: unknown;
  readonly identity: unknown;
  readonly request: unknown;
  readonly context: unknown;
}

export function activation(input: ConditionInput): Activation {
  return {
    args: toCel(input.args),
    identity: toCel(input.identity),
    request: toCel(input.request),
    context: toCel(input.context),
  };
}

export interface CompiledCondition {
  readonly source: string;
  /** True or false; throws ConditionEvaluationError when the expression cannot be evaluated. */
  evaluate(variables: Activation): boolean;
}

/** A condition that does not compile: `where` names the rule, `column` is 1-based. */
export class ConditionCompileError extends Error {
  readonly where: string;
  readonly column: number;
  readonly detail: string;

  constructor(where: string, column: number, detail: string) {
    super(`${where}: column ${column}: ${detail}`);
    this.name = 'ConditionCompileError';
    this.where = where;
    this.column = column;
    this.detail = detail;
  }
}

export class ConditionEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConditionEvaluationError';
  }
}

// Patterns are almost always literals, compiled at load; the cap bounds memory for dynamic ones.
const MAX_DYNAMIC_PATTERNS = 256;
const patternCache = new Map<string, RE2JS>();

function re2(pattern: string): RE2JS {
  const cached = patternCache.get(pattern);
  if (cached) return cached;
  const compiled = RE2JS.compile(pattern);
  if (patternCache.size >= MAX_DYNAMIC_PATTERNS) patternCache.clear();
  patternCache.set(pattern, compiled);
  return compiled;
}

const environment = new Environment({
  limits: {
    maxAstNodes: 2000,
    maxDepth: 50,
    maxListElements: 1000,
    maxMapEntries: 1000,
    maxCallArguments: 32,
  },
})
  .registerVariable('args', 'dyn')
  .registerVariable('identity', 'map')
  .registerVariable('request', 'map')
  .registerVariable('context', 'map')
  .registerFunction('string.re2(string): bool', (text: string, pattern: string) => re2(pattern).test(text));

interface AstNode {
  readonly op: string;
  readonly args: unknown;
  readonly pos?: number;
}

function isAstNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as { op?: unknown }).op === 'string';
}

/** Calls by name with their argument nodes, found anywhere in the tree. */
function* calls(node: unknown): Generator<{ name: string; pos: number; args: readonly unknown[] }> {
  if (Array.isArray(node)) {
    for (const child of node) yield* calls(child);
    return;
  }
  if (!isAstNode(node)) return;
  const parts = Array.isArray(node.args) ? (node.args as unknown[]) : [];
  if ((node.op === 'call' || node.op === 'rcall') && typeof parts[0] === 'string') {
    const callArgs = node.op === 'call' ? parts[1] : parts[2];
    yield { name: parts[0], pos: node.pos ?? 0, args: Array.isArray(callArgs) ? callArgs : [] };
  }
  yield* calls(parts);
}

function columnOf(error: unknown): number {
  const range = (error as { range?: { start?: unknown } }).range;
  const node = (error as { node?: { pos?: unknown } }).node;
  const pos = typeof range?.start === 'number' ? range.start : typeof node?.pos === 'number' ? node.pos : 0;
  return pos + 1;
}

/** The first line of a cel-js message; the rest is a source excerpt we render ourselves. */
function summaryOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/**
 * Compile one `when` expression. `where` names the rule in errors, e.g.
 * `spec.tools.rules[2].when`. Throws ConditionCompileError.
 */
export function compileCondition(source: string, where: string): CompiledCondition {
  let program: ReturnType<typeof environment.parse>;
  try {
    program = environment.parse(source);
  } catch (error) {
    throw new ConditionCompileError(where, columnOf(error), summaryOf(error));
  }
  for (const call of calls(program.ast)) {
    if (call.name === 'matches') {
      throw new ConditionCompileError(
        where,
        call.pos + 1,
        "'matches' is not available (backtracking regex engine); use text.re2('pattern'), which runs in linear time",
      );
    }
    const pattern = call.args[0];
    if (
      call.name === 're2' &&
      isAstNode(pattern) &&
      pattern.op === 'value' &&
      typeof pattern.args === 'string'
    ) {
      try {
        re2(pattern.args);
      } catch (error) {
        throw new ConditionCompileError(
          where,
          (pattern.pos ?? 0) + 1,
          `invalid RE2 pattern: ${summaryOf(error)}`,
        );
      }
    }
  }
  const checked = program.check();
  if (!checked.valid)
    throw new ConditionCompileError(where, columnOf(checked.error), summaryOf(checked.error));
  if (checked.type !== 'bool' && checked.type !== 'dyn') {
    throw new ConditionCompileError(
      where,
      1,
      `a condition must be a bool expression, this one is ${checked.type}`,
    );
  }
  return {
    source,
    evaluate(variables) {
      let result: unknown;
      try {
        result = program(variables);
      } catch (error) {
        throw new ConditionEvaluationError(summaryOf(error));
      }
      if (typeof result !== 'boolean')
        throw new ConditionEvaluationError(`the condition gave ${typeof result}, not bool`);
      return result;
    },
  };
}

/** JSON values as CEL expects them: integral numbers as int (bigint). */
export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toCel(item);
    return out;
  }
  return value;
}
