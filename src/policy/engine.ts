import { createHash } from 'node:crypto';
import type { Conversation, Origin, TextSegment } from '../core/conversation.ts';
import type { Action, Decision, Mode, Stage } from '../core/decision.ts';
import type { Finding, OwaspId } from '../core/finding.ts';
import type {
  Exchange,
  Guard,
  InputVerdict,
  OutputGuard,
  RequestMeta,
  SegmentEdit,
  SpanRewrite,
  TextVerdict,
} from '../core/guard.ts';
import type { CheckDefinition, CheckOptions, Scanner } from '../core/scanner.ts';
import { CHECKS } from '../scanners/index.ts';
import { compileGlob, type GlobMatcher } from '../agency/glob.ts';
import { defaultPolicy } from './default-policy.ts';
import { createPseudonymSession } from './pseudonyms.ts';
import type { LoadedPolicy } from './load.ts';

/**
 * The policy engine: turns loaded policies into the core `Guard`. Every scanner and glob is
 * compiled once here; per request the engine only selects the policies for the model (cached) and
 * runs the compiled checks. Synchronous scanners are called synchronously; the engine awaits only
 * a scanner that returns a Promise.
 */

/**
 * Reversible pseudonymisation: one session per exchange maps values to stable placeholders and
 * restores them in the answer. `createPseudonymSession` is the implementation; tests may pass
 * their own through `CompileGuardOptions.pseudonymizer`.
 */
export interface PseudonymSession {
  /** The placeholder for `value` (same value, same placeholder within the session). */
  placeholder(entity: string, value: string): string;
  /**
   * Rewrites that put the originals back into output text; `tool_call_arguments` text is JSON, so
   * values go back JSON-escaped there.
   */
  restore(text: string, origin: Origin): readonly SpanRewrite[];
  /** Where a placeholder may still be arriving at the end of `text` (`text.length` if nowhere). */
  pendingStart(text: string): number;
  /** Placeholder → original value, for every placeholder issued so far. */
  values(): Iterable<readonly [string, string]>;
  /** Longest placeholder issued; widens the output hold-back so a split placeholder is restored. */
  readonly maxPlaceholderLength: number;
}

export interface CompileGuardOptions {
  /** `false` lets everything through untouched (the benchmark's baseline). Default true. */
  readonly scanning?: boolean | undefined;
  /** Makes the per-exchange pseudonym session. Default: `createPseudonymSession`. */
  readonly pseudonymizer?: (() => PseudonymSession) | undefined;
  /** The check registry the policies were validated against. Default: `CHECKS`. */
  readonly checks?: readonly CheckDefinition[] | undefined;
}

interface CompiledCheck {
  readonly rule: string;
  readonly policy: string;
  readonly stage: Stage;
  readonly owasp: OwaspId;
  readonly action: Action;
  readonly mode: Mode;
  readonly threshold: number;
  readonly origins: ReadonlySet<Origin>;
  readonly scanner: Scanner;
}

interface CompiledPolicy {
  readonly name: string;
  readonly models: readonly GlobMatcher[];
  readonly input: readonly CompiledCheck[];
  readonly output: readonly CompiledCheck[];
}

/** What applies to one model name: computed once per name and cached. */
interface Selection {
  readonly policies: readonly string[];
  readonly input: readonly CompiledCheck[];
  readonly output: readonly CompiledCheck[];
  /**
   * Output checks keep no per-request state without pseudonyms or request-aware scanners: one
   * guard serves every exchange.
   */
  readonly sharedOutput: OutputGuard;
  /** An enforced `pseudonymize` applies, so each exchange needs its own pseudonym session. */
  readonly pseudonymizes: boolean;
  /** Some scanner implements `forExchange`, so each exchange gets its own scanners. */
  readonly exchangeAware: boolean;
}

const PASS: InputVerdict = Object.freeze({ decisions: [], edits: [] });
const PASS_TEXT: TextVerdict = Object.freeze({ decisions: [], rewrites: [] });
const PASS_PROMISE = Promise.resolve(PASS);
const PASSTHROUGH: OutputGuard = Object.freeze({ holdback: 0, passthrough: true, scan: () => PASS_TEXT });
// Model names come from callers; the per-model cache must not grow without bound.
const MAX_CACHED_MODELS = 512;

/**
 * Compile policies into a Guard. Policies whose `match.models` matches the requested model all
 * apply, highest `priority` first (then by name); a model no policy matches gets the built-in
 * default policy. Throws if a scanner cannot be built from its options.
 */
export function compileGuard(policies: readonly LoadedPolicy[], options: CompileGuardOptions = {}): Guard {
  if (options.scanning === false) {
    const exchange: Exchange = { policies: [], checkInput: () => PASS_PROMISE, output: PASSTHROUGH };
    return { begin: () => exchange };
  }
  const names = new Set<string>();
  for (const p of policies) {
    // Rule names (`<policy>/input.x`) must identify one policy, also across files and the config.
    if (names.has(p.name)) throw new Error(`two policies are named '${p.name}'`);
    names.add(p.name);
  }
  const registry = registryOf(options.checks ?? CHECKS);
  const compile = (p: LoadedPolicy) => compilePolicy(p, registry);
  const compiled = [...policies]
    .sort((a, b) => b.policy.spec.priority - a.policy.spec.priority || compareNames(a.name, b.name))
    .map(compile);
  // The default policy is built from the real registry, whatever `options.checks` says.
  const fallback = selectionOf([compilePolicy(defaultPolicy(), registryOf(CHECKS))]);
  const cache = new Map<string, Selection>();
  const pseudonymizer = options.pseudonymizer ?? createPseudonymSession;

  function select(model: string): Selection {
    const cached = cache.get(model);
    if (cached) return cached;
    const matching = compiled.filter((p) => p.models.some((m) => m(model)));
    const selection = matching.length > 0 ? selectionOf(matching) : fallback;
    if (cache.size >= MAX_CACHED_MODELS) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(model, selection);
    return selection;
  }

  return {
    begin(conversation: Conversation, _meta: RequestMeta): Exchange {
      const selection = select(conversation.model);
      const session = selection.pseudonymizes ? pseudonymizer() : undefined;
      const scoped = selection.exchangeAware ? scopeToExchange(selection, conversation) : undefined;
      const input = scoped?.input ?? selection.input;
      const output = scoped?.output ?? selection.output;
      const inputEdits = scoped?.inputEdits ?? [];
      return {
        policies: selection.policies,
        checkInput: () =>
          input.length === 0 && inputEdits.length === 0
            ? PASS_PROMISE
            : checkInput(input, conversation, session, inputEdits),
        output:
          session === undefined && scoped === undefined
            ? selection.sharedOutput
            : output.length === 0 && session === undefined
              ? PASSTHROUGH
              : createOutputGuard(output, session),
      };
    },
  };
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Registry = ReadonlyMap<string, CheckDefinition>;

function registryOf(checks: readonly CheckDefinition[]): Registry {
  return new Map(checks.map((c) => [`${c.stage}.${c.key}`, c]));
}

function compilePolicy(loaded: LoadedPolicy, registry: Registry): CompiledPolicy {
  const { spec } = loaded.policy;
  const compileStage = (stage: Stage): CompiledCheck[] =>
    Object.entries(stage === 'input' ? spec.input : spec.output).flatMap(([key, options]) =>
      options === undefined ? [] : [compileCheck(registry, loaded.name, spec.mode, stage, key, options)],
    );
  return {
    name: loaded.name,
    models: spec.match.models.map(compileGlob),
    input: compileStage('input'),
    output: compileStage('output'),
  };
}

function compileCheck(
  registry: Registry,
  policy: string,
  mode: Mode,
  stage: Stage,
  key: string,
  options: CheckOptions,
): CompiledCheck {
  const definition = registry.get(`${stage}.${key}`);
  // The schema admits registered keys only; a policy validated against another registry is a bug.
  if (!definition) throw new Error(`policy '${policy}': no ${stage} check '${key}' is registered`);
  return {
    rule: `${policy}/${stage}.${key}`,
    policy,
    stage,
    owasp: definition.owasp,
    action: options.action,
    mode,
    threshold: options.threshold ?? 0,
    origins: new Set(options.origins ?? definition.defaultOrigins),
    scanner: createScanner(policy, stage, key, () => definition.create(options)),
  };
}

function createScanner(policy: string, stage: Stage, key: string, create: () => Scanner): Scanner {
  try {
    return create();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`policy '${policy}': spec.${stage}.${key}: ${message}`, { cause: error });
  }
}

function selectionOf(policies: readonly CompiledPolicy[]): Selection {
  const input = policies.flatMap((p) => p.input);
  const output = policies.flatMap((p) => p.output);
  return {
    policies: policies.map((p) => p.name),
    input,
    output,
    sharedOutput: output.length === 0 ? PASSTHROUGH : createOutputGuard(output, undefined),
    pseudonymizes: input.some((c) => c.action === 'pseudonymize' && c.mode === 'enforce'),
    exchangeAware: [...input, ...output].some((c) => c.scanner.forExchange !== undefined),
  };
}

interface ExchangeChecks {
  readonly input: readonly CompiledCheck[];
  readonly output: readonly CompiledCheck[];
  readonly inputEdits: readonly SegmentEdit[];
}

/** Give request-aware scanners this request; their request edits apply in enforce mode only. */
function scopeToExchange(selection: Selection, conversation: Conversation): ExchangeChecks {
  const inputEdits: SegmentEdit[] = [];
  const scope = (checks: readonly CompiledCheck[]): CompiledCheck[] =>
    checks.map((check) => {
      if (check.scanner.forExchange === undefined) return check;
      const scan = check.scanner.forExchange(conversation);
      // Monitor mode changes nothing, the request included.
      if (check.mode === 'enforce' && scan.inputEdits !== undefined) inputEdits.push(...scan.inputEdits);
      return scan.scanner === undefined ? check : { ...check, scanner: scan.scanner };
    });
  return { input: scope(selection.input), output: scope(selection.output), inputEdits };
}

// ---------------------------------------------------------------------------------------------
// The hot path.

function isSync(result: readonly Finding[] | Promise<readonly Finding[]>): result is readonly Finding[] {
  return Array.isArray(result);
}

function aboveThreshold(findings: readonly Finding[], threshold: number): readonly Finding[] {
  for (const f of findings) if (f.score < threshold) return findings.filter((g) => g.score >= threshold);
  return findings;
}

async function checkInput(
  checks: readonly CompiledCheck[],
  conversation: Conversation,
  session: PseudonymSession | undefined,
  inputEdits: readonly SegmentEdit[],
): Promise<InputVerdict> {
  let decisions: Decision[] | undefined;
  let edits: Map<TextSegment, SpanRewrite[]> | undefined;
  for (const check of checks) {
    for (const message of conversation.messages) {
      for (const segment of message.segments) {
        if (!check.origins.has(segment.origin)) continue;
        const result = check.scanner.scan(segment.text, {
          stage: 'input',
          origin: segment.origin,
          role: segment.role,
        });
        const findings = aboveThreshold(isSync(result) ? result : await result, check.threshold);
        if (findings.length === 0) continue;
        const decision = decide(check, findings);
        (decisions ??= []).push(decision);
        if (decision.mode !== 'enforce') continue;
        // An enforced block ends the exchange: later checks could not change the outcome.
        if (decision.action === 'block') return { decisions, block: decision, edits: [] };
        if (!isRewrite(decision.action)) continue;
        edits ??= new Map();
        let list = edits.get(segment);
        if (!list) edits.set(segment, (list = []));
        for (const f of findings) list.push(rewriteOf(decision.action, f, segment.text, session));
      }
    }
  }
  if (session !== undefined) edits = pseudonymizeEverywhere(conversation, session, edits);
  if (!decisions && !edits && inputEdits.length === 0) return PASS;
  // Keyed by path: scanner edits (a canary) and check rewrites may land in the same segment.
  const byPath = new Map<string, { path: TextSegment['path']; rewrites: SpanRewrite[] }>();
  const add = (path: TextSegment['path'], rewrites: readonly SpanRewrite[]): void => {
    const key = JSON.stringify(path);
    const entry = byPath.get(key);
    if (entry) entry.rewrites.push(...rewrites);
    else byPath.set(key, { path, rewrites: [...rewrites] });
  };
  if (edits) for (const [segment, list] of edits) add(segment.path, list);
  for (const edit of inputEdits) add(edit.path, edit.rewrites);
  const segmentEdits: SegmentEdit[] = [];
  for (const { path, rewrites } of byPath.values())
    segmentEdits.push({ path, rewrites: mergeRewrites(rewrites) });
  return { decisions: decisions ?? [], edits: segmentEdits };
}

/**
 * A value pseudonymised anywhere is pseudonymised everywhere: in texts no check read (earlier
 * answers the client sends back with the values restored, the system prompt) as well, so the model
 * never sees it. Tool-call arguments are JSON text, where the value appears JSON-escaped.
 */
function pseudonymizeEverywhere(
  conversation: Conversation,
  session: PseudonymSession,
  edits: Map<TextSegment, SpanRewrite[]> | undefined,
): Map<TextSegment, SpanRewrite[]> | undefined {
  const known = [...session.values()];
  if (known.length === 0) return edits;
  const out = edits ?? new Map<TextSegment, SpanRewrite[]>();
  for (const message of conversation.messages) {
    for (const segment of message.segments) {
      for (const [placeholder, value] of known) {
        const needle = segment.origin === 'tool_call_arguments' ? JSON.stringify(value).slice(1, -1) : value;
        if (needle === '') continue;
        const { text } = segment;
        for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) {
          let list = out.get(segment);
          if (!list) out.set(segment, (list = []));
          list.push({ start: at, end: at + needle.length, replacement: placeholder });
        }
      }
    }
  }
  return out.size === 0 ? edits : out;
}

function createOutputGuard(
  checks: readonly CompiledCheck[],
  session: PseudonymSession | undefined,
): OutputGuard {
  const checksHoldback = checks.reduce((max, c) => Math.max(max, c.scanner.maxFindingLength), 0);
  // Placeholders are issued while the input is checked, after this guard is built: read it late.
  const holdback = (): number => Math.max(checksHoldback, session?.maxPlaceholderLength ?? 0);
  const pendingStart = (text: string, origin: Origin): number => {
    let pending = session ? session.pendingStart(text) : text.length;
    for (const check of checks) {
      if (!check.origins.has(origin)) continue;
      const { scanner } = check;
      const start = scanner.pendingStart
        ? scanner.pendingStart(text)
        : text.length - scanner.maxFindingLength;
      if (start < pending) pending = start;
    }
    // `maxFindingLength` stays the hard bound, whatever a scanner reports.
    return Math.max(0, pending, text.length - holdback());
  };
  const scan = (text: string, origin: Origin): TextVerdict | Promise<TextVerdict> => {
    let decisions: Decision[] | undefined;
    let rewrites: SpanRewrite[] | undefined = session ? [...session.restore(text, origin)] : undefined;
    for (let i = 0; i < checks.length; i++) {
      const check = checks[i];
      if (!check?.origins.has(origin)) continue;
      const result = check.scanner.scan(text, { stage: 'output', origin, role: 'assistant' });
      // Switch to the asynchronous path only when a scanner really is asynchronous.
      if (!isSync(result)) return finishAsync(checks, i, result, text, origin, decisions, rewrites, session);
      const step = applyOutput(check, result, text, decisions, rewrites, session);
      if (step.block) return { decisions: step.decisions ?? [], block: step.block, rewrites: [] };
      decisions = step.decisions;
      rewrites = step.rewrites;
    }
    if (!decisions && !rewrites) return PASS_TEXT;
    return { decisions: decisions ?? [], rewrites: rewrites ? mergeRewrites(rewrites) : [] };
  };
  return {
    get holdback() {
      return holdback();
    },
    passthrough: false,
    scan,
    pendingStart,
  };
}

interface OutputStep {
  readonly decisions: Decision[] | undefined;
  readonly rewrites: SpanRewrite[] | undefined;
  readonly block?: Decision;
}

function applyOutput(
  check: CompiledCheck,
  raw: readonly Finding[],
  text: string,
  decisions: Decision[] | undefined,
  rewrites: SpanRewrite[] | undefined,
  session: PseudonymSession | undefined,
): OutputStep {
  const findings = aboveThreshold(raw, check.threshold);
  if (findings.length === 0) return { decisions, rewrites };
  const decision = decide(check, findings);
  const all = decisions ?? [];
  all.push(decision);
  if (decision.mode !== 'enforce') return { decisions: all, rewrites };
  if (decision.action === 'block') return { decisions: all, rewrites, block: decision };
  if (!isRewrite(decision.action)) return { decisions: all, rewrites };
  const list = rewrites ?? [];
  for (const f of findings) list.push(rewriteOf(decision.action, f, text, session));
  return { decisions: all, rewrites: list };
}

async function finishAsync(
  checks: readonly CompiledCheck[],
  from: number,
  pending: Promise<readonly Finding[]>,
  text: string,
  origin: Origin,
  decisions: Decision[] | undefined,
  rewrites: SpanRewrite[] | undefined,
  session: PseudonymSession | undefined,
): Promise<TextVerdict> {
  for (let i = from; i < checks.length; i++) {
    const check = checks[i];
    if (!check?.origins.has(origin)) continue;
    const result =
      i === from ? pending : check.scanner.scan(text, { stage: 'output', origin, role: 'assistant' });
    const step = applyOutput(
      check,
      isSync(result) ? result : await result,
      text,
      decisions,
      rewrites,
      session,
    );
    if (step.block) return { decisions: step.decisions ?? [], block: step.block, rewrites: [] };
    decisions = step.decisions;
    rewrites = step.rewrites;
  }
  return { decisions: decisions ?? [], rewrites: rewrites ? mergeRewrites(rewrites) : [] };
}

// ---------------------------------------------------------------------------------------------
// Decisions and rewrites.

const MAX_REASONS = 3;

function decide(check: CompiledCheck, findings: readonly Finding[]): Decision {
  // Approval of free text does not exist (approvals are for tool calls): fail closed as a block.
  const action = check.action === 'approve' ? 'block' : check.action;
  return {
    rule: check.rule,
    policy: check.policy,
    stage: check.stage,
    action,
    mode: check.mode,
    owasp: check.owasp,
    reason: reasonOf(findings),
    findings,
  };
}

function reasonOf(findings: readonly Finding[]): string {
  const first = findings[0]?.reason ?? '';
  if (findings.length === 1) return first;
  const reasons: string[] = [];
  for (const f of findings) {
    if (!reasons.includes(f.reason)) reasons.push(f.reason);
    if (reasons.length === MAX_REASONS) break;
  }
  return reasons.join('; ');
}

function isRewrite(action: Action): action is 'redact' | 'mask' | 'hash' | 'pseudonymize' {
  return action === 'redact' || action === 'mask' || action === 'hash' || action === 'pseudonymize';
}

const MASK_KEEP = 4;

function rewriteOf(
  action: 'redact' | 'mask' | 'hash' | 'pseudonymize',
  finding: Finding,
  text: string,
  session: PseudonymSession | undefined,
): SpanRewrite {
  const { start, end } = finding;
  const label = finding.entity ?? finding.type;
  const value = text.slice(start, end);
  switch (action) {
    case 'mask':
      return {
        start,
        end,
        replacement: '*'.repeat(Math.max(0, value.length - MASK_KEEP)) + value.slice(-MASK_KEEP),
      };
    case 'hash':
      return {
        start,
        end,
        replacement: `[HASH:${createHash('sha256').update(value).digest('hex').slice(0, 12)}]`,
      };
    case 'pseudonymize':
      if (session) return { start, end, replacement: session.placeholder(label, value) };
      return { start, end, replacement: `[REDACTED:${label}]` };
    case 'redact':
      return { start, end, replacement: finding.redaction ?? `[REDACTED:${label}]` };
  }
}

/**
 * Sorted by start, non-overlapping: of two overlapping spans the wider one wins. An insertion
 * (empty span) goes before a span starting at the same offset and is dropped inside a span.
 */
export function mergeRewrites(rewrites: readonly SpanRewrite[]): SpanRewrite[] {
  if (rewrites.length <= 1) return [...rewrites];
  const isInsertion = (r: SpanRewrite): number => (r.start === r.end ? 0 : 1);
  const sorted = [...rewrites].sort(
    (a, b) => a.start - b.start || isInsertion(a) - isInsertion(b) || b.end - a.end,
  );
  const merged: SpanRewrite[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (!last || r.start >= last.end) merged.push(r);
    else if (r.end - r.start > last.end - last.start) merged[merged.length - 1] = r;
  }
  return merged;
}
