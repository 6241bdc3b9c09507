import type { Mode } from '../core/decision.ts';
import {
  activation,
  compileCondition,
  ConditionCompileError,
  ConditionEvaluationError,
  type Activation,
  type CompiledCondition,
} from './conditions.ts';
import { compileGlob, type GlobMatcher } from './glob.ts';

/**
 * Compiled `spec.tools`: which tools a caller may be offered and which calls the model may make.
 * Everything that can be done at load (globs, CEL) is done in `compileToolPolicy`; deciding a call
 * is pure and synchronous.
 */

export type ToolAction = 'allow' | 'deny' | 'approve';

/** The shape of `spec.tools` (the policy schema validates it; this module compiles it). */
export interface ToolRuleSpec {
  /** Glob over the tool name (`*`, `?`). */
  readonly name: string;
  readonly action: ToolAction;
  /** CEL over `args`, `identity`, `request`, `context`; the rule is skipped when false. */
  readonly when?: string | undefined;
  /** Labels every tool this rule's name matches carries (`sensitive`, `egress`, …), whatever `when` says. */
  readonly labels?: readonly string[] | undefined;
  /** When this rule decides, calls beyond this many in one conversation are denied. */
  readonly maxCallsPerConversation?: number | undefined;
}

export interface TaintSpec {
  /** What happens to labelled tools once untrusted content is in the context. Default `approve`. */
  readonly action?: 'approve' | 'deny' | undefined;
  /** Default `['sensitive', 'egress']`. */
  readonly labels?: readonly string[] | undefined;
}

export interface ToolsSpec {
  readonly default?: 'allow' | 'deny' | undefined;
  readonly rules?: readonly ToolRuleSpec[] | undefined;
  readonly taint?: TaintSpec | undefined;
  readonly approval?: { readonly timeoutSeconds?: number | undefined } | undefined;
}

export interface ToolCallContext {
  /** True once untrusted content (tool results, documents, flagged input) is in the conversation. */
  readonly untrusted: boolean;
  /** Calls already made in this conversation, by tool name. */
  readonly calls: Readonly<Record<string, number>>;
  readonly [key: string]: unknown;
}

export interface ToolIdentity {
  readonly id: string;
  readonly tenant: string;
  readonly [key: string]: unknown;
}

export interface ToolCallInput {
  readonly tool: string;
  /** The parsed JSON arguments. */
  readonly args: unknown;
  readonly identity: ToolIdentity;
  readonly request: Readonly<Record<string, unknown>>;
  readonly context: ToolCallContext;
}

export interface ToolDecision {
  readonly action: ToolAction;
  /** `policy/tools.rules[2]`, `policy/tools.default`, `policy/tools.taint`. */
  readonly rule: string;
  /** Safe to show to the caller. */
  readonly reason: string;
  readonly labels: readonly string[];
  readonly mode: Mode;
}

export interface ToolPolicy {
  readonly policy: string;
  /** Changes whenever the policy text changes; approvals are bound to it. */
  readonly version: string;
  readonly mode: Mode;
  readonly approvalTimeoutMs: number;
  decideToolCall(input: ToolCallInput): ToolDecision;
  /** Tools the policy denies whatever the arguments are removed from the offer. */
  filterOfferedTools<T extends { readonly name: string }>(
    tools: readonly T[],
    context?: Pick<ToolCallContext, 'untrusted'>,
  ): { kept: T[]; removed: T[] };
  labelsOf(tool: string): readonly string[];
}

export class ToolPolicyCompileError extends Error {
  readonly errors: readonly ConditionCompileError[];
  constructor(errors: readonly ConditionCompileError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'ToolPolicyCompileError';
    this.errors = errors;
  }
}

interface CompiledRule {
  readonly index: number;
  readonly id: string;
  readonly spec: ToolRuleSpec;
  readonly matches: GlobMatcher;
  readonly when: CompiledCondition | undefined;
}

export const DEFAULT_APPROVAL_TIMEOUT_SECONDS = 120;
const DEFAULT_TAINT_LABELS = ['sensitive', 'egress'];
// Tool names come from model output; the label cache must not grow without bound.
const MAX_LABEL_CACHE = 1024;

export interface CompileToolPolicyOptions {
  readonly policy: string;
  readonly version: string;
  readonly mode?: Mode | undefined;
  /** Where `spec.tools` sits, for error messages. */
  readonly path?: string | undefined;
}

/** Compile `spec.tools`. Collects every condition error in one pass (ToolPolicyCompileError). */
export function compileToolPolicy(
  spec: ToolsSpec | undefined,
  options: CompileToolPolicyOptions,
): ToolPolicy {
  const path = options.path ?? 'spec.tools';
  const mode = options.mode ?? 'enforce';
  const errors: ConditionCompileError[] = [];
  const rules: CompiledRule[] = (spec?.rules ?? []).map((rule, index) => {
    let when: CompiledCondition | undefined;
    if (rule.when !== undefined) {
      try {
        when = compileCondition(rule.when, `${path}.rules[${index}].when`);
      } catch (error) {
        if (!(error instanceof ConditionCompileError)) throw error;
        errors.push(error);
      }
    }
    return {
      index,
      id: `${options.policy}/tools.rules[${index}]`,
      spec: rule,
      matches: compileGlob(rule.name),
      when,
    };
  });
  if (errors.length > 0) throw new ToolPolicyCompileError(errors);

  const defaultAction = spec?.default ?? 'deny';
  const taintAction = spec?.taint?.action ?? 'approve';
  const taintLabels = new Set(spec?.taint?.labels ?? DEFAULT_TAINT_LABELS);
  const labelCache = new Map<string, readonly string[]>();

  function labelsOf(tool: string): readonly string[] {
    const cached = labelCache.get(tool);
    if (cached) return cached;
    const labels = [...new Set(rules.filter((r) => r.matches(tool)).flatMap((r) => r.spec.labels ?? []))];
    if (labelCache.size >= MAX_LABEL_CACHE) labelCache.clear();
    labelCache.set(tool, labels);
    return labels;
  }

  function decision(
    action: ToolAction,
    rule: string,
    reason: string,
    labels: readonly string[],
  ): ToolDecision {
    return { action, rule, reason, labels, mode };
  }

  /** Taint can only make a decision stricter: allow → taint action, approve → deny if taint denies. */
  function applyTaint(base: ToolDecision, tool: string, context: ToolCallContext): ToolDecision {
    if (!context.untrusted || base.action === 'deny') return base;
    const tainted = base.labels.filter((label) => taintLabels.has(label));
    if (tainted.length === 0) return base;
    if (base.action === 'approve' && taintAction === 'approve') return base;
    return decision(
      taintAction,
      `${options.policy}/tools.taint`,
      `tool '${tool}' is labelled ${tainted.join(', ')} and untrusted content is in the conversation`,
      base.labels,
    );
  }

  function decideToolCall(input: ToolCallInput): ToolDecision {
    const labels = labelsOf(input.tool);
    let variables: Activation | undefined;
    for (const rule of rules) {
      if (!rule.matches(input.tool)) continue;
      if (rule.when) {
        variables ??= activation(input);
        let holds: boolean;
        try {
          holds = rule.when.evaluate(variables);
        } catch (error) {
          if (!(error instanceof ConditionEvaluationError)) throw error;
          // Fail closed: an unevaluable condition never grants; it applies a deny/approve rule.
          if (rule.spec.action === 'allow') continue;
          return applyTaint(
            decision(
              rule.spec.action,
              rule.id,
              `condition of ${rule.id} could not be evaluated (${error.message}); applied ${rule.spec.action}`,
              labels,
            ),
            input.tool,
            input.context,
          );
        }
        if (!holds) continue;
      }
      const budget = rule.spec.maxCallsPerConversation;
      if (
        budget !== undefined &&
        rule.spec.action !== 'deny' &&
        (input.context.calls[input.tool] ?? 0) >= budget
      ) {
        return decision(
          'deny',
          rule.id,
          `tool '${input.tool}' may be called at most ${budget} time(s) per conversation`,
          labels,
        );
      }
      const reason =
        rule.spec.action === 'allow'
          ? `allowed by ${rule.id}`
          : rule.spec.action === 'approve'
            ? `tool '${input.tool}' needs human approval (${rule.id})`
            : `tool '${input.tool}' is denied by ${rule.id}`;
      return applyTaint(decision(rule.spec.action, rule.id, reason, labels), input.tool, input.context);
    }
    const reason =
      defaultAction === 'allow'
        ? 'allowed by the tools default'
        : `tool '${input.tool}' is not allowed by any rule (tools default: deny)`;
    return applyTaint(
      decision(defaultAction, `${options.policy}/tools.default`, reason, labels),
      input.tool,
      input.context,
    );
  }

  /** True when every outcome a call to `tool` could reach is deny. */
  function deniedOutright(tool: string, untrusted: boolean): boolean {
    if (untrusted && taintAction === 'deny' && labelsOf(tool).some((l) => taintLabels.has(l))) return true;
    for (const rule of rules) {
      if (!rule.matches(tool)) continue;
      const exhausted = rule.spec.maxCallsPerConversation === 0;
      if (rule.spec.action !== 'deny' && !exhausted) return false;
      if (!rule.when) return true;
    }
    return defaultAction === 'deny';
  }

  return {
    policy: options.policy,
    version: options.version,
    mode,
    approvalTimeoutMs: (spec?.approval?.timeoutSeconds ?? DEFAULT_APPROVAL_TIMEOUT_SECONDS) * 1000,
    decideToolCall,
    labelsOf,
    filterOfferedTools(tools, context) {
      const kept: (typeof tools)[number][] = [];
      const removed: (typeof tools)[number][] = [];
      for (const tool of tools) {
        if (mode === 'enforce' && deniedOutright(tool.name, context?.untrusted ?? false)) removed.push(tool);
        else kept.push(tool);
      }
      return { kept, removed };
    },
  };
}

/** Parse a tool call's JSON arguments; `undefined` when they are not valid JSON. */
export function parseArguments(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
