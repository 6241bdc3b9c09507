import type { Conversation } from '../core/conversation.ts';
import type { Approvals } from './approvals.ts';
import { parseArguments, type ToolCallContext, type ToolIdentity, type ToolPolicy } from './tool-policy.ts';

/**
 * The judge turns the policy's decision on one tool call into a verdict for the response: allow,
 * or block with a reason — waiting for a human when the policy says `approve`. One judge serves
 * one response; it counts the calls it allows so per-conversation budgets hold within a response.
 */

export interface ToolCallRef {
  readonly id: string;
  readonly name: string;
  /** The arguments as JSON text, exactly as the model produced them. */
  readonly arguments: string;
}

export interface CallVerdict {
  readonly allowed: boolean;
  readonly rule: string;
  /** Safe to show to the caller. */
  readonly reason: string;
  readonly approvalId?: string | undefined;
}

export type CallJudge = (call: ToolCallRef) => Promise<CallVerdict>;

export interface JudgeOptions {
  readonly policy: ToolPolicy;
  /** Without an approvals store, calls that need approval are denied (fail closed). */
  readonly approvals?: Approvals | undefined;
  readonly identity: ToolIdentity;
  readonly request: Readonly<Record<string, unknown>>;
  readonly context: ToolCallContext;
  /** Ends approval waits early, e.g. when the client disconnects. */
  readonly signal?: AbortSignal | undefined;
  /** Every verdict, for audit and metrics. */
  readonly onVerdict?: ((call: ToolCallRef, verdict: CallVerdict) => void) | undefined;
}

export function createCallJudge(options: JudgeOptions): CallJudge {
  const calls: Record<string, number> = { ...options.context.calls };
  const record = (call: ToolCallRef, verdict: CallVerdict): CallVerdict => {
    if (verdict.allowed) calls[call.name] = (calls[call.name] ?? 0) + 1;
    options.onVerdict?.(call, verdict);
    return verdict;
  };

  return async (call) => {
    const parsed = parseArguments(call.arguments);
    if (!parsed.ok) {
      return record(call, {
        allowed: false,
        rule: `${options.policy.policy}/tools`,
        reason: `the arguments of '${call.name}' are not valid JSON`,
      });
    }
    const decision = options.policy.decideToolCall({
      tool: call.name,
      args: parsed.value,
      identity: options.identity,
      request: options.request,
      context: { ...options.context, calls },
    });
    if (decision.mode === 'monitor' || decision.action === 'allow') {
      return record(call, { allowed: true, rule: decision.rule, reason: decision.reason });
    }
    if (decision.action === 'deny')
      return record(call, { allowed: false, rule: decision.rule, reason: decision.reason });
    if (!options.approvals) {
      return record(call, {
        allowed: false,
        rule: decision.rule,
        reason: `${decision.reason}; no approval store is configured`,
      });
    }
    const result = await options.approvals.authorize(
      {
        tenant: options.identity.tenant,
        caller: options.identity.id,
        tool: call.name,
        args: parsed.value,
        policy: options.policy.policy,
        policyVersion: options.policy.version,
        rule: decision.rule,
        reason: decision.reason,
        timeoutMs: options.policy.approvalTimeoutMs,
      },
      options.signal,
    );
    return record(call, {
      allowed: result.approved,
      rule: decision.rule,
      reason: `${decision.reason}; ${result.reason}`,
      approvalId: result.approval.id,
    });
  };
}

/**
 * The tool-call context of a conversation: untrusted once a tool result or a document is in it
 * (or the injection detector flagged the input), and how often each tool was already called.
 */
export function conversationContext(conversation: Conversation, inputFlagged = false): ToolCallContext {
  let untrusted = inputFlagged;
  const calls: Record<string, number> = {};
  for (const message of conversation.messages) {
    if (message.role === 'tool') untrusted = true;
    for (const segment of message.segments) {
      if (segment.origin === 'tool_result' || segment.origin === 'document') untrusted = true;
    }
    for (const call of message.toolCalls) calls[call.name] = (calls[call.name] ?? 0) + 1;
  }
  return { untrusted, calls };
}

/** The assistant text that stands where a blocked call was. */
export function blockedNotice(call: ToolCallRef, verdict: CallVerdict): string {
  return `[Parapet: tool call '${call.name}' was blocked by policy rule '${verdict.rule}': ${verdict.reason}]`;
}
