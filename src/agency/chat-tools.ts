import type { ApiStyle } from '../core/conversation.ts';
import type { JsonObject } from '../core/provider.ts';
import { blockedNotice, type CallJudge, type CallVerdict, type ToolCallRef } from './judge.ts';
import type { ToolCallContext, ToolPolicy } from './tool-policy.ts';

/**
 * Tool governance on the chat APIs' request and (non-streaming) response bodies. Functions take a
 * body and return a new one; what the policy does not change is kept as it was.
 */

export interface CallOutcome {
  readonly call: ToolCallRef;
  readonly verdict: CallVerdict;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function offeredName(api: ApiStyle, tool: unknown, legacy: boolean): string | undefined {
  if (!isRecord(tool)) return undefined;
  if (api === 'anthropic' || legacy) return typeof tool.name === 'string' ? tool.name : undefined;
  // Function tools name themselves under `function`, custom (free-text) tools under `custom`.
  const fn = isRecord(tool.function) ? tool.function : tool.custom;
  return isRecord(fn) && typeof fn.name === 'string' ? fn.name : undefined;
}

/** The tool a `tool_choice` forces, if it names one. */
function forcedTool(api: ApiStyle, choice: unknown): string | undefined {
  if (!isRecord(choice)) return undefined;
  if (api === 'anthropic')
    return choice.type === 'tool' && typeof choice.name === 'string' ? choice.name : undefined;
  const fn = choice.function;
  return isRecord(fn) && typeof fn.name === 'string' ? fn.name : undefined;
}

/**
 * Remove the tools the policy denies outright from what the model is offered (OpenAI `tools` and
 * legacy `functions`, Anthropic `tools`). A `tool_choice`/`function_call` that forces a removed
 * tool is dropped too, so the upstream does not reject the request; an emptied list is removed.
 */
export function filterRequestTools(
  api: ApiStyle,
  body: JsonObject,
  policy: ToolPolicy,
  context?: Pick<ToolCallContext, 'untrusted'>,
): { body: JsonObject; removed: string[] } {
  const removed: string[] = [];
  let out: JsonObject = body;
  const lists: [key: string, choiceKey: string, legacy: boolean][] =
    api === 'openai'
      ? [
          ['tools', 'tool_choice', false],
          ['functions', 'function_call', true],
        ]
      : [['tools', 'tool_choice', false]];
  for (const [key, choiceKey, legacy] of lists) {
    const offered = body[key];
    if (!Array.isArray(offered)) continue;
    // A tool Parapet cannot name (a server-side or malformed entry) stays: the upstream decides.
    const named = (offered as unknown[]).map((tool) => ({
      tool,
      name: offeredName(api, tool, legacy) ?? '',
    }));
    const { removed: denied } = policy.filterOfferedTools(
      named.filter((t) => t.name !== ''),
      context,
    );
    if (denied.length === 0) continue;
    const deniedSet = new Set(denied);
    removed.push(...denied.map((t) => t.name));
    const kept = named.filter((t) => !deniedSet.has(t)).map((t) => t.tool);
    if (kept.length === 0) {
      out = without(out, key === 'tools' ? [key, choiceKey, 'parallel_tool_calls'] : [key, choiceKey]);
      continue;
    }
    out = { ...out, [key]: kept };
    const forced = legacy ? forcedLegacy(body[choiceKey]) : forcedTool(api, body[choiceKey]);
    if (forced !== undefined && removed.includes(forced)) out = without(out, [choiceKey]);
  }
  return { body: out, removed };
}

function without(body: JsonObject, keys: readonly string[]): JsonObject {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !keys.includes(key)));
}

function forcedLegacy(choice: unknown): string | undefined {
  return isRecord(choice) && typeof choice.name === 'string' ? choice.name : undefined;
}

/**
 * Check every tool call in a complete response body. Denied calls are removed and an assistant
 * text says which call was blocked and why; when no call is left the turn ends normally
 * (OpenAI `finish_reason: stop`, Anthropic `stop_reason: end_turn`). Calls needing approval are
 * held here until the judge returns.
 */
export async function guardResponseTools(
  api: ApiStyle,
  body: JsonObject,
  judge: CallJudge,
): Promise<{ body: JsonObject; outcomes: CallOutcome[] }> {
  return api === 'openai' ? guardOpenAiResponse(body, judge) : guardAnthropicResponse(body, judge);
}

async function guardOpenAiResponse(
  body: JsonObject,
  judge: CallJudge,
): Promise<{ body: JsonObject; outcomes: CallOutcome[] }> {
  const outcomes: CallOutcome[] = [];
  if (!Array.isArray(body.choices)) return { body, outcomes };
  let changed = false;
  const choices: unknown[] = [];
  for (const rawChoice of body.choices) {
    const message = isRecord(rawChoice) ? rawChoice.message : undefined;
    if (!isRecord(rawChoice) || !isRecord(message)) {
      choices.push(rawChoice);
      continue;
    }
    const notices: string[] = [];
    const nextMessage: Record<string, unknown> = { ...message };
    let allowedCalls = 0;
    if (Array.isArray(message.tool_calls)) {
      const kept: unknown[] = [];
      for (const rawCall of message.tool_calls) {
        const ref = openAiCallRef(rawCall);
        const verdict = await judge(ref);
        outcomes.push({ call: ref, verdict });
        if (verdict.allowed) kept.push(rawCall);
        else notices.push(blockedNotice(ref, verdict));
      }
      allowedCalls += kept.length;
      if (kept.length === 0) delete nextMessage.tool_calls;
      else nextMessage.tool_calls = kept;
    }
    if (isRecord(message.function_call)) {
      const ref = openAiFunctionRef(message.function_call);
      const verdict = await judge(ref);
      outcomes.push({ call: ref, verdict });
      if (verdict.allowed) allowedCalls++;
      else {
        notices.push(blockedNotice(ref, verdict));
        delete nextMessage.function_call;
      }
    }
    if (notices.length === 0) {
      choices.push(rawChoice);
      continue;
    }
    changed = true;
    const content =
      typeof message.content === 'string' && message.content !== '' ? `${message.content}\n\n` : '';
    nextMessage.content = content + notices.join('\n');
    const nextChoice: Record<string, unknown> = { ...rawChoice, message: nextMessage };
    if (allowedCalls === 0) nextChoice.finish_reason = 'stop';
    choices.push(nextChoice);
  }
  return { body: changed ? { ...body, choices } : body, outcomes };
}

async function guardAnthropicResponse(
  body: JsonObject,
  judge: CallJudge,
): Promise<{ body: JsonObject; outcomes: CallOutcome[] }> {
  const outcomes: CallOutcome[] = [];
  if (!Array.isArray(body.content)) return { body, outcomes };
  let blocked = 0;
  let allowed = 0;
  const content: unknown[] = [];
  for (const block of body.content) {
    if (!isRecord(block) || block.type !== 'tool_use') {
      content.push(block);
      continue;
    }
    const ref: ToolCallRef = {
      id: typeof block.id === 'string' ? block.id : '',
      name: typeof block.name === 'string' ? block.name : '',
      arguments: JSON.stringify(block.input ?? {}),
    };
    const verdict = await judge(ref);
    outcomes.push({ call: ref, verdict });
    if (verdict.allowed) {
      allowed++;
      content.push(block);
    } else {
      blocked++;
      content.push({ type: 'text', text: blockedNotice(ref, verdict) });
    }
  }
  if (blocked === 0) return { body, outcomes };
  const next: JsonObject = { ...body, content };
  if (allowed === 0 && body.stop_reason === 'tool_use') next.stop_reason = 'end_turn';
  return { body: next, outcomes };
}

export function openAiCallRef(rawCall: unknown): ToolCallRef {
  const call = isRecord(rawCall) ? rawCall : {};
  const id = typeof call.id === 'string' ? call.id : '';
  if (isRecord(call.custom)) {
    // A custom tool's input is free text; conditions see it as `args.input`.
    const custom = call.custom;
    return {
      id,
      name: typeof custom.name === 'string' ? custom.name : '',
      arguments: customArguments(typeof custom.input === 'string' ? custom.input : ''),
    };
  }
  const fn = isRecord(call.function) ? call.function : {};
  return {
    id,
    name: typeof fn.name === 'string' ? fn.name : '',
    arguments: typeof fn.arguments === 'string' ? fn.arguments : '',
  };
}

/** The JSON arguments a custom (free-text) tool call is judged on. */
export function customArguments(input: string): string {
  return JSON.stringify({ input });
}

function openAiFunctionRef(fn: Record<string, unknown>): ToolCallRef {
  return {
    id: '',
    name: typeof fn.name === 'string' ? fn.name : '',
    arguments: typeof fn.arguments === 'string' ? fn.arguments : '',
  };
}
