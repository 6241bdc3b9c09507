import type { ApiStyle, Conversation, Endpoint } from '../core/conversation.ts';
import type { Decision } from '../core/decision.ts';
import type { JsonObject, SseEvent } from '../core/provider.ts';
import type { LoadedPolicy } from '../policy/load.ts';
import type { Approvals } from './approvals.ts';
import { canonicalJson, sha256Hex } from './canonical.ts';
import { filterRequestTools, guardResponseTools } from './chat-tools.ts';
import { compileGlob } from './glob.ts';
import { conversationContext, createCallJudge, type CallVerdict, type ToolCallRef } from './judge.ts';
import { compileToolPolicy, type ToolPolicy } from './tool-policy.ts';
import { createToolStreamGuard } from './tool-stream.ts';

/**
 * What the gateway calls to govern tools on the chat APIs. One `begin` per request; it returns
 * undefined when no policy with `spec.tools` applies to the model or the endpoint has no tools.
 */
export interface ToolGovernance {
  begin(request: ToolRequest): ToolExchange | undefined;
}

export interface ToolRequest {
  readonly api: ApiStyle;
  readonly endpoint: Endpoint;
  readonly conversation: Conversation;
  /** The client's request body (client API, after input edits). Not mutated. */
  readonly body: JsonObject;
  readonly requestId: string;
  readonly identity: string;
  readonly tenant?: string | undefined;
  /** The input checks' decisions: an injection finding taints the context. */
  readonly inputDecisions: readonly Decision[];
  /** Aborts approval waits when the client leaves. */
  readonly signal: AbortSignal;
}

export interface ToolExchange {
  /** The request body with denied tools removed; the same object when nothing was removed. */
  readonly body: JsonObject;
  readonly removedTools: readonly string[];
  /** Check the calls of a complete answer (client API); undefined when it is unchanged. */
  guardBody(body: JsonObject): Promise<JsonObject | undefined>;
  /** Check the calls of a streamed answer (client API events). */
  guardEvents(events: AsyncIterable<SseEvent>): AsyncIterable<SseEvent>;
}

export interface ToolGovernanceOptions {
  /** The policies in force; called once per request (hot reload swaps the array). */
  readonly policies: () => readonly LoadedPolicy[];
  readonly approvals?: Approvals | undefined;
  readonly onVerdict?: ((call: ToolCallRef, verdict: CallVerdict, requestId: string) => void) | undefined;
  /** Share one compiled cache with the MCP gateway. */
  readonly toolPolicies?: ((policies: readonly LoadedPolicy[]) => ToolPolicySet) | undefined;
  /**
   * While a streamed call waits (for approval), an SSE comment is sent this often so proxies and
   * clients do not drop the idle connection. Default 15 s.
   */
  readonly keepAliveMs?: number | undefined;
}

/** An SSE comment: every client ignores it, every proxy sees traffic. */
export const KEEP_ALIVE: SseEvent = { data: '', raw: ': parapet: waiting for a tool-call decision\n\n' };

/** Await `work`, yielding a keep-alive comment each `intervalMs` until it settles. */
async function* withKeepAlive<T>(work: Promise<T>, intervalMs: number): AsyncGenerator<SseEvent, T> {
  const settled = work.then((value) => ({ value }));
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const tick = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        resolve(undefined);
      }, intervalMs);
    });
    const next = await Promise.race([settled, tick]);
    clearTimeout(timer);
    if (next) return next.value;
    yield KEEP_ALIVE;
  }
}

/** Compiled tool policies of one policy snapshot, chosen by model like the rest of the policy. */
export interface ToolPolicySet {
  forModel(model: string): ToolPolicy | undefined;
}

const MAX_CACHED_MODELS = 512;

/**
 * Compile the `spec.tools` of every policy. For a model, the highest-priority matching policy
 * that has `spec.tools` decides. The version an approval binds to is the digest of that policy's
 * name and `spec.tools`, so unrelated policy edits do not void pending approvals.
 */
export function compileToolPolicies(loaded: readonly LoadedPolicy[]): ToolPolicySet {
  const ordered = [...loaded]
    .filter((p) => p.policy.spec.tools !== undefined)
    .sort(
      (a, b) =>
        b.policy.spec.priority - a.policy.spec.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    )
    .map((p) => ({
      models: p.policy.spec.match.models.map(compileGlob),
      policy: compileToolPolicy(p.policy.spec.tools, {
        policy: p.name,
        version: sha256Hex(canonicalJson({ name: p.name, tools: p.policy.spec.tools })).slice(0, 16),
        mode: p.policy.spec.mode,
      }),
    }));
  const cache = new Map<string, ToolPolicy | undefined>();
  return {
    forModel(model) {
      if (cache.has(model)) return cache.get(model);
      const found = ordered.find((p) => p.models.some((m) => m(model)))?.policy;
      if (cache.size >= MAX_CACHED_MODELS) cache.clear();
      cache.set(model, found);
      return found;
    },
  };
}

/** Did an input check find injection? Then untrusted content is in the context. */
export function injectionFlagged(decisions: readonly Decision[]): boolean {
  return decisions.some((d) => d.findings.some((f) => f.type.startsWith('injection')));
}

/** `compileToolPolicies`, compiled once per policy snapshot (hot reload swaps the array). */
export function cachedToolPolicies(): (policies: readonly LoadedPolicy[]) => ToolPolicySet {
  const compiled = new WeakMap<readonly LoadedPolicy[], ToolPolicySet>();
  return (policies) => {
    let set = compiled.get(policies);
    if (!set) compiled.set(policies, (set = compileToolPolicies(policies)));
    return set;
  };
}

export function createToolGovernance(options: ToolGovernanceOptions): ToolGovernance {
  const setFor = options.toolPolicies ?? cachedToolPolicies();

  return {
    begin(request) {
      if (request.endpoint !== 'chat' && request.endpoint !== 'messages') return undefined;
      const policy = setFor(options.policies()).forModel(request.conversation.model);
      if (!policy) return undefined;
      const context = conversationContext(request.conversation, injectionFlagged(request.inputDecisions));
      const filtered = filterRequestTools(request.api, request.body, policy, context);
      const judge = () =>
        createCallJudge({
          policy,
          approvals: options.approvals,
          identity: { id: request.identity, tenant: request.tenant ?? 'default' },
          request: { id: request.requestId, model: request.conversation.model, api: request.api },
          context,
          signal: request.signal,
          onVerdict: options.onVerdict
            ? (call, verdict) => options.onVerdict?.(call, verdict, request.requestId)
            : undefined,
        });
      return {
        body: filtered.body,
        removedTools: filtered.removed,
        async guardBody(body) {
          const guarded = await guardResponseTools(request.api, body, judge());
          return guarded.body === body ? undefined : guarded.body;
        },
        async *guardEvents(events) {
          const guard = createToolStreamGuard(request.api, judge());
          const interval = options.keepAliveMs ?? 15_000;
          for await (const event of events) yield* yield* withKeepAlive(guard.push(event), interval);
          yield* await guard.end();
        },
      };
    },
  };
}
