import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node,
} from 'yaml';
import { z } from 'zod';
import type { Stage } from '../core/decision.ts';
import { DEFAULT_POLICY_NAME } from './default-policy.ts';
import { checksOf, findCheck, guardrailPolicySchema, type GuardrailPolicy } from './schema.ts';

/**
 * Loading policy files with located errors. Every error names the file, line and column, the
 * field path and what was expected, and every error of every file is collected in one pass, so a
 * policy author never fixes one mistake at a time.
 */

/** Every code a policy error can carry; docs/policy-reference.md explains each (a test checks). */
export const POLICY_ERROR_CODES = [
  'io_error',
  'no_policy_files',
  'empty_file',
  'yaml_syntax',
  'not_a_policy',
  'missing_field',
  'invalid_type',
  'invalid_value',
  'out_of_range',
  'invalid_format',
  'unknown_field',
  'unknown_check',
  'unsupported_action',
  'invalid_condition',
  'duplicate_name',
  'compile_error',
  'invalid',
] as const;

export type PolicyErrorCode = (typeof POLICY_ERROR_CODES)[number];

export interface PolicyError {
  readonly file: string;
  /** 1-based; 0 when the error concerns the whole file (unreadable, empty directory). */
  readonly line: number;
  readonly column: number;
  /** Field path, e.g. `spec.input.promptInjection.threshold`; empty for YAML syntax errors. */
  readonly path: string;
  readonly message: string;
  readonly code: PolicyErrorCode;
}

export interface LoadedPolicy {
  /** `metadata.name`, or `namespace/name` when a namespace is given; unique in a load. */
  readonly name: string;
  readonly policy: GuardrailPolicy;
  readonly file: string;
  /** Line of the document's first key. */
  readonly line: number;
}

export interface LoadResult {
  readonly policies: readonly LoadedPolicy[];
  readonly errors: readonly PolicyError[];
  /** sha256 over the files read (names and contents): changes exactly when the policy text does. */
  readonly digest: string;
}

/** `file:line:col: path: message`, the shape editors and CI annotate. */
export function formatPolicyError(e: PolicyError): string {
  const where = e.line > 0 ? `${e.file}:${e.line}:${e.column}` : e.file;
  return e.path ? `${where}: ${e.path}: ${e.message}` : `${where}: ${e.message}`;
}

/** Parse the policies in one YAML text (one or more `---`-separated documents). */
export function parsePolicyText(
  text: string,
  file: string,
): { policies: LoadedPolicy[]; errors: PolicyError[] } {
  const policies: LoadedPolicy[] = [];
  const errors: PolicyError[] = [];
  const names: NameLocations = new Map();
  parseInto(text, file, policies, errors, names);
  const unique = rejectDuplicates(policies, errors, names);
  return { policies: unique, errors: sortByLocation(errors) };
}

const POLICY_FILE = /\.ya?ml$/;
const TEST_FILE = /\.test\.ya?ml$/;

/**
 * Load policies from files and directories. A directory contributes its `*.yaml`/`*.yml` files
 * (sorted by name, not recursive, hidden files and `*.test.yaml` skipped — so a mounted ConfigMap's
 * `..data` links are read once).
 */
export async function loadPolicyFiles(paths: readonly string[]): Promise<LoadResult> {
  const errors: PolicyError[] = [];
  const files: string[] = [];
  for (const path of paths) {
    try {
      if ((await stat(path)).isDirectory()) {
        const names = (await readdir(path))
          .filter((n) => POLICY_FILE.test(n) && !TEST_FILE.test(n) && !n.startsWith('.'))
          .sort();
        if (names.length === 0)
          errors.push(
            wholeFile(path, 'no_policy_files', 'no *.yaml or *.yml policy files in this directory'),
          );
        files.push(...names.map((n) => join(path, n)));
      } else {
        files.push(path);
      }
    } catch (error) {
      errors.push(wholeFile(path, 'io_error', ioMessage(error)));
    }
  }

  const seen = new Set<string>();
  const distinct = files.filter((f) => {
    const key = resolve(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const texts = await Promise.all(
    distinct.map(async (file) => {
      try {
        return await readFile(file, 'utf8');
      } catch (error) {
        errors.push(wholeFile(file, 'io_error', ioMessage(error)));
        return undefined;
      }
    }),
  );

  const digest = createHash('sha256');
  const policies: LoadedPolicy[] = [];
  const names: NameLocations = new Map();
  distinct.forEach((file, i) => {
    const text = texts[i];
    if (text === undefined) return;
    digest.update(`${file}\0${text}\0`);
    const fileErrors: PolicyError[] = [];
    parseInto(text, file, policies, fileErrors, names);
    errors.push(...sortByLocation(fileErrors));
  });
  const unique = rejectDuplicates(policies, errors, names);
  return { policies: unique, errors, digest: digest.digest('hex') };
}

function wholeFile(file: string, code: PolicyErrorCode, message: string): PolicyError {
  return { file, line: 0, column: 0, path: '', message, code };
}

function ioMessage(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return `cannot read: ${error instanceof Error ? error.message : String(error)}`;
}

function sortByLocation(errors: PolicyError[]): PolicyError[] {
  return errors.sort((a, b) => a.line - b.line || a.column - b.column);
}

// Anchors and aliases are allowed, but expanding more than this many is an alias bomb.
const MAX_ALIAS_COUNT = 100;

type NameLocations = Map<LoadedPolicy, { line: number; column: number }>;

function parseInto(
  text: string,
  file: string,
  policies: LoadedPolicy[],
  errors: PolicyError[],
  names: NameLocations,
): void {
  for (const doc of parseYamlDocuments(text, file, guardrailPolicySchema, 'GuardrailPolicy', errors)) {
    const { name, namespace } = doc.value.metadata;
    const at = doc.locate(['metadata', 'name']);
    if (name === DEFAULT_POLICY_NAME && namespace === undefined) {
      errors.push({
        file,
        ...at,
        path: 'metadata.name',
        message: `'${DEFAULT_POLICY_NAME}' is the name of the built-in default policy; choose another`,
        code: 'invalid_value',
      });
      continue;
    }
    const loaded = {
      name: namespace === undefined ? name : `${namespace}/${name}`,
      policy: doc.value,
      file,
      line: doc.line,
    };
    names.set(loaded, at);
    policies.push(loaded);
  }
}

export interface ParsedDocument<T> {
  readonly value: T;
  /** Line of the document's first key. */
  readonly line: number;
  /** Where the value at a field path starts in the file. */
  locate(path: readonly (string | number)[]): { line: number; column: number };
}

/**
 * Parse every YAML document of a text and validate each against `schema`, pushing located errors
 * for YAML syntax, non-mapping documents and schema issues. Returns the documents that validate
 * with the line they start on. Shared by policy files and policy test files.
 */
export function parseYamlDocuments<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  what: string,
  errors: PolicyError[],
): ParsedDocument<z.output<S>>[] {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => lines.linePos(offset);
  const wholeDocument = (line: number, column: number, message: string, code: PolicyErrorCode) =>
    errors.push({ file, line, column, path: '', message, code });

  // An empty file is a mistake or a file caught mid-write by a reload: never "no policy".
  if (documents.every((doc) => doc.errors.length === 0 && doc.contents === null)) {
    wholeDocument(1, 1, `the file holds no ${what} document`, 'empty_file');
    return [];
  }
  const valid: ParsedDocument<z.output<S>>[] = [];
  for (const doc of documents) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const { line, col } = at(e.pos[0]);
        wholeDocument(line, col, `invalid YAML: ${e.message}`, 'yaml_syntax');
      }
      continue;
    }
    if (doc.contents === null) continue; // an empty document, e.g. after a trailing `---`
    const start = at(doc.contents.range[0]);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      wholeDocument(
        start.line,
        start.col,
        error instanceof Error ? error.message : String(error),
        'yaml_syntax',
      );
      continue;
    }
    if (!isMap(doc.contents)) {
      wholeDocument(start.line, start.col, `expected a ${what} mapping`, 'not_a_policy');
      continue;
    }
    const result = schema.safeParse(value);
    if (result.success) {
      valid.push({
        value: result.data,
        line: start.line,
        locate: (path) => {
          const { line, col } = at(locate(doc, path, 'value'));
          return { line, column: col };
        },
      });
      continue;
    }
    for (const issue of result.error.issues) {
      for (const located of describeIssue(schema, issue, value)) {
        const { line, col } = at(locate(doc, located.path, located.target, located.columnInValue));
        errors.push({
          file,
          line,
          column: col,
          path: pathString(located.path),
          message: located.message,
          code: located.code,
        });
      }
    }
  }
  return valid;
}

function rejectDuplicates(
  policies: LoadedPolicy[],
  errors: PolicyError[],
  names: NameLocations,
): LoadedPolicy[] {
  const first = new Map<string, LoadedPolicy>();
  const unique: LoadedPolicy[] = [];
  for (const p of policies) {
    const earlier = first.get(p.name);
    if (earlier) {
      const at = names.get(p) ?? { line: p.line, column: 1 };
      errors.push({
        file: p.file,
        ...at,
        path: 'metadata.name',
        message: `duplicate policy name '${p.name}': first defined at ${earlier.file}:${earlier.line}`,
        code: 'duplicate_name',
      });
      continue;
    }
    first.set(p.name, p);
    unique.push(p);
  }
  return unique;
}

// ---------------------------------------------------------------------------------------------
// Turning zod issues into located, readable errors.

type Segment = string | number;

interface LocatedIssue {
  readonly path: readonly Segment[];
  /** Point at the key of the last segment, at its value, or (missing field) at the parent. */
  readonly target: 'key' | 'value' | 'parent';
  readonly message: string;
  readonly code: PolicyErrorCode;
  /** 1-based column inside a scalar value (CEL errors), to point into the expression. */
  readonly columnInValue?: number;
}

function describeIssue(root: z.ZodType, issue: z.core.$ZodIssue, document: unknown): LocatedIssue[] {
  const path = issue.path.filter((s): s is Segment => typeof s !== 'symbol');
  const got = valueAt(document, path);
  const schema = schemaAt(root, path);
  if (got === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
    const wanted = expected(schema, issue.code === 'invalid_type' ? issue.expected : 'a value');
    return [
      {
        path,
        target: 'parent',
        code: 'missing_field',
        message: `required field '${String(path.at(-1))}' is missing: expected ${wanted}`,
      },
    ];
  }
  switch (issue.code) {
    case 'invalid_type':
      return [
        {
          path,
          target: 'value',
          code: 'invalid_type',
          message: `expected ${expected(schema, issue.expected)}, got ${show(got)}`,
        },
      ];
    case 'invalid_value': {
      const unsupported = unsupportedAction(path, got);
      if (unsupported) return [{ path, target: 'value', code: 'unsupported_action', message: unsupported }];
      return [
        {
          path,
          target: 'value',
          code: 'invalid_value',
          message: `expected ${oneOf(issue.values.map(String))}, got ${show(got)}`,
        },
      ];
    }
    case 'too_small':
    case 'too_big': {
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
        return [
          {
            path,
            target: 'value',
            code: 'out_of_range',
            message: `expected ${expected(schema, 'number')}, got ${show(got)}`,
          },
        ];
      }
      const bound = issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
      const unit = issue.origin === 'array' || issue.origin === 'set' ? 'item(s)' : 'character(s)';
      return [
        {
          path,
          target: 'value',
          code: 'out_of_range',
          message: `expected ${bound} ${unit}, got ${show(got)}`,
        },
      ];
    }
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownKey(path, key, schema));
    case 'invalid_format':
      return [
        { path, target: 'value', code: 'invalid_format', message: `${issue.message}, got ${show(got)}` },
      ];
    case 'custom': {
      const params = issue.params as { reason?: unknown; column?: unknown } | undefined;
      if (params?.reason === 'invalid_condition' && typeof params.column === 'number') {
        return [
          {
            path,
            target: 'value',
            code: 'invalid_condition',
            message: issue.message,
            columnInValue: params.column,
          },
        ];
      }
      return [{ path, target: 'value', code: 'invalid', message: issue.message }];
    }
    default:
      return [{ path, target: 'value', code: 'invalid', message: issue.message }];
  }
}

/** `spec.input.<check>.action` set to an action the check does not offer. */
function unsupportedAction(path: readonly Segment[], got: unknown): string | undefined {
  const [spec, stage, key, field] = path;
  if (spec !== 'spec' || (stage !== 'input' && stage !== 'output') || field !== 'action' || path.length !== 4)
    return undefined;
  const check = findCheck(stage, String(key));
  if (!check) return undefined;
  return `check '${check.key}' does not support action ${show(got)}; it supports ${check.actions.join(', ')}`;
}

function unknownKey(path: readonly Segment[], key: string, schema: z.ZodType | undefined): LocatedIssue {
  const at = [...path, key];
  const [spec, stage] = path;
  if (spec === 'spec' && (stage === 'input' || stage === 'output') && path.length === 2) {
    const known = checksOf(stage).map((c) => c.key);
    const other: Stage = stage === 'input' ? 'output' : 'input';
    const elsewhere = findCheck(other, key)
      ? ` ('${key}' is an ${other} check: put it under spec.${other})`
      : suggestion(key, known);
    return {
      path: at,
      target: 'key',
      code: 'unknown_check',
      message: `unknown ${stage} check '${key}'${elsewhere}; known ${stage} checks: ${known.join(', ') || 'none'}`,
    };
  }
  const known = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  return {
    path: at,
    target: 'key',
    code: 'unknown_field',
    message: `unknown field '${key}'${suggestion(key, known)}; expected one of: ${known.join(', ')}`,
  };
}

/** ` (did you mean 'x'?)` for a near miss: a policy author's typo, not a guess at intent. */
function suggestion(key: string, known: readonly string[]): string {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best === undefined ? '' : ` (did you mean '${best}'?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function pathString(path: readonly Segment[]): string {
  let out = '';
  for (const s of path) out += typeof s === 'number' ? `[${s}]` : out ? `.${s}` : s;
  return out;
}

function valueAt(document: unknown, path: readonly Segment[]): unknown {
  let current = document;
  for (const s of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<Segment, unknown>)[s];
  }
  return current;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return 'a mapping';
}

function oneOf(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  return quoted.length === 1 ? (quoted[0] ?? '') : `one of ${quoted.join(', ')}`;
}

/** The schema that validates the value at `path`, wrappers (optional, default) removed. */
function schemaAt(root: z.ZodType, path: readonly Segment[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = unwrap(root);
  for (const s of path) {
    if (current instanceof z.ZodObject)
      current = (current.shape as Record<string, z.ZodType | undefined>)[String(s)];
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else return undefined;
    current = current && unwrap(current);
  }
  return current;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodDefault ||
      current instanceof z.ZodNullable
    )
      current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else return current;
  }
}

/** What the schema at a path accepts, in words: `a number between 0 and 1`. */
function expected(schema: z.ZodType | undefined, fallback: string): string {
  if (schema instanceof z.ZodNumber) {
    const noun = schema.format?.includes('int') ? 'an integer' : 'a number';
    const min = schema.minValue;
    const max = schema.maxValue;
    const hasMin = min !== null && min > Number.MIN_SAFE_INTEGER;
    const hasMax = max !== null && max < Number.MAX_SAFE_INTEGER;
    if (hasMin && hasMax) return `${noun} between ${min} and ${max}`;
    if (hasMin) return `${noun} of at least ${min}`;
    if (hasMax) return `${noun} of at most ${max}`;
    return noun;
  }
  if (schema instanceof z.ZodEnum) return oneOf(schema.options.map(String));
  if (schema instanceof z.ZodLiteral) return oneOf([...schema.values].map(String));
  if (schema instanceof z.ZodString) return 'a string';
  if (schema instanceof z.ZodBoolean) return 'true or false';
  if (schema instanceof z.ZodArray) return 'a list';
  if (schema instanceof z.ZodObject || schema instanceof z.ZodRecord) return 'a mapping';
  return fallback;
}

// ---------------------------------------------------------------------------------------------
// Locating a field path in the YAML source.

/** Offset of the node an issue points at; falls back to the deepest node that exists. */
function locate(
  doc: Document,
  path: readonly Segment[],
  target: LocatedIssue['target'],
  columnInValue?: number,
): number {
  const steps = target === 'parent' ? path.slice(0, -1) : path;
  let node: unknown = doc.contents;
  let key: Node | undefined;
  for (const s of steps) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(s));
      if (!pair) return startOf(key) ?? startOf(node) ?? 0;
      key = isScalar(pair.key) ? pair.key : undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof s === 'number') {
      const item: unknown = node.items[s];
      if (item === undefined) return startOf(key) ?? startOf(node) ?? 0;
      key = undefined;
      node = item;
    } else {
      return startOf(key) ?? startOf(node) ?? 0;
    }
  }
  if (target === 'parent' || target === 'key') return startOf(key) ?? startOf(node) ?? 0;
  const start = startOf(node) ?? startOf(key) ?? 0;
  if (
    columnInValue !== undefined &&
    isScalar(node) &&
    node.type !== 'BLOCK_LITERAL' &&
    node.type !== 'BLOCK_FOLDED'
  ) {
    const quote = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
    return start + quote + columnInValue - 1;
  }
  return start;
}

function startOf(node: unknown): number | undefined {
  const range = (node as { range?: unknown } | null | undefined)?.range;
  return Array.isArray(range) && typeof range[0] === 'number' ? range[0] : undefined;
}
