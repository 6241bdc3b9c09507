import type { ApiStyle } from '../core/conversation.ts';
import type { SseEvent } from '../core/provider.ts';
import { jsonEvent } from '../providers/sse.ts';
import { blockedNotice, type CallJudge, type ToolCallRef } from './judge.ts';
import { customArguments, type CallOutcome } from './chat-tools.ts';

/**
 * Tool-call governance over a streamed response. Tool-call deltas are held — nothing of a call
 * reaches the caller — until the call is complete and judged; then an allowed call is released
 * exactly as the model streamed it, and a denied one is replaced by assistant text saying which
 * call was blocked and why. Everything else streams through unchanged and in order.
 *
 * OpenAI: a choice's calls are complete at its `finish_reason` (or at `[DONE]`); released calls
 * are renumbered 0..n-1 so clients that index `tool_calls` by position see no gaps.
 * Anthropic: a `tool_use` block is complete at its `content_block_stop`; a denied block becomes a
 * text block at the same index, and `stop_reason: tool_use` becomes `end_turn` when no call is left.
 */

export interface ToolStreamGuard {
  /** Feed one upstream event (with its parsed JSON data, if already parsed); get what to send on. */
  push(event: SseEvent, data?: unknown): Promise<SseEvent[]>;
  /** The upstream ended (possibly early): releases nothing incomplete. */
  end(): Promise<SseEvent[]>;
  readonly outcomes: readonly CallOutcome[];
}

export interface ToolStreamOptions {
  /** Most UTF-16 code units of held tool-call data per stream; beyond it the call is denied. */
  readonly maxHeld?: number | undefined;
}

const DEFAULT_MAX_HELD = 1024 * 1024;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFinish(choice: Record<string, unknown>): boolean {
  return choice.finish_reason !== null && choice.finish_reason !== undefined;
}

function parseData(event: SseEvent, data: unknown): unknown {
  if (data !== undefined) return data;
  if (event.data === '' || event.data === '[DONE]') return undefined;
  try {
    return JSON.parse(event.data) as unknown;
  } catch {
    return undefined;
  }
}

export function createToolStreamGuard(
  api: ApiStyle,
  judge: CallJudge,
  options: ToolStreamOptions = {},
): ToolStreamGuard {
  const maxHeld = options.maxHeld ?? DEFAULT_MAX_HELD;
  return api === 'openai' ? openAiStreamGuard(judge, maxHeld) : anthropicStreamGuard(judge, maxHeld);
}

interface HeldCall {
  /** `tool:N` for `tool_calls[index N]`, `function` for the legacy `function_call`. */
  readonly key: string;
  id: string;
  name: string;
  arguments: string;
  /** A custom (free-text) tool: `arguments` holds its raw input. */
  custom: boolean;
  /** The deltas of this call in order, as the model sent them. */
  readonly deltas: HeldDelta[];
}

interface HeldDelta {
  readonly delta: Record<string, unknown>;
  /** The chunk around the delta: envelope (id, model, …) and the choice's other fields (logprobs). */
  readonly envelope: Record<string, unknown>;
  readonly choice: Record<string, unknown>;
  /** The upstream event itself when it carried nothing but this delta: released byte for byte. */
  readonly raw: SseEvent | undefined;
}

interface HeldChoice {
  readonly calls: Map<string, HeldCall>;
  /** Envelope (id, object, created, model, …) of the first held chunk, used for notices. */
  readonly envelope: Record<string, unknown>;
}

function openAiStreamGuard(judge: CallJudge, maxHeld: number): ToolStreamGuard {
  const held = new Map<number, HeldChoice>();
  const outcomes: CallOutcome[] = [];
  let heldSize = 0;

  function hold(choiceIndex: number, key: string, delta: HeldDelta): void {
    const { envelope } = delta;
    let choice = held.get(choiceIndex);
    if (!choice) held.set(choiceIndex, (choice = { calls: new Map(), envelope }));
    let call = choice.calls.get(key);
    if (!call)
      choice.calls.set(key, (call = { key, id: '', name: '', arguments: '', custom: false, deltas: [] }));
    const fields = delta.delta;
    if (isRecord(fields.custom)) call.custom = true;
    const fn =
      key === 'function'
        ? fields
        : isRecord(fields.function)
          ? fields.function
          : isRecord(fields.custom)
            ? fields.custom
            : {};
    if (typeof fields.id === 'string') call.id = fields.id;
    if (typeof fn.name === 'string') call.name += fn.name;
    // Function tools stream `arguments` (JSON text), custom tools `input` (free text).
    const piece =
      typeof fn.arguments === 'string' ? fn.arguments : typeof fn.input === 'string' ? fn.input : undefined;
    if (piece !== undefined) {
      call.arguments += piece;
      heldSize += piece.length;
    }
    call.deltas.push(delta);
  }

  /**
   * Judge a choice's held calls and build the events that replace them; `finish` is the choice's
   * finishing chunk (envelope and choice without its delta), when the choice finished.
   */
  async function release(
    choiceIndex: number,
    finish?: { envelope: Record<string, unknown>; choice: Record<string, unknown> },
  ): Promise<SseEvent[]> {
    const choice = held.get(choiceIndex);
    held.delete(choiceIndex);
    if (!choice) return [];
    const events: SseEvent[] = [];
    const notices: string[] = [];
    let position = 0;
    let allowed = 0;
    for (const call of choice.calls.values()) {
      const ref: ToolCallRef = {
        id: call.id,
        name: call.name,
        arguments: call.custom ? customArguments(call.arguments) : call.arguments,
      };
      const verdict =
        heldSize > maxHeld
          ? {
              allowed: false,
              rule: 'parapet/limits',
              reason: 'the tool-call arguments exceed the size limit',
            }
          : await judge(ref);
      outcomes.push({ call: ref, verdict });
      if (!verdict.allowed) {
        notices.push(blockedNotice(ref, verdict));
        continue;
      }
      allowed++;
      const index = position++;
      const originalIndex = Number(call.key.slice('tool:'.length));
      for (const held of call.deltas) {
        if (held.raw && (call.key === 'function' || originalIndex === index)) {
          events.push(held.raw);
          continue;
        }
        const delta =
          call.key === 'function'
            ? { function_call: held.delta }
            : { tool_calls: [{ ...held.delta, index }] };
        events.push(
          jsonEvent({ ...held.envelope, choices: [{ ...held.choice, index: choiceIndex, delta }] }),
        );
      }
    }
    if (notices.length > 0) {
      const content = (allowed > 0 || events.length > 0 ? '\n\n' : '') + notices.join('\n');
      events.push(
        jsonEvent({
          ...choice.envelope,
          choices: [{ index: choiceIndex, delta: { content }, finish_reason: null }],
        }),
      );
    }
    if (finish) {
      const reason = finish.choice.finish_reason;
      const stopped = allowed === 0 && (reason === 'tool_calls' || reason === 'function_call');
      events.push(
        jsonEvent({
          ...finish.envelope,
          choices: [{ ...finish.choice, finish_reason: stopped ? 'stop' : reason }],
        }),
      );
    }
    return events;
  }

  async function releaseAll(): Promise<SseEvent[]> {
    const events: SseEvent[] = [];
    for (const index of [...held.keys()]) events.push(...(await release(index)));
    return events;
  }

  return {
    outcomes,
    async push(event, rawData) {
      if (event.data === '[DONE]') return [...(await releaseAll()), event];
      const data = parseData(event, rawData);
      if (!isRecord(data) || !Array.isArray(data.choices)) return [event];
      const { choices, ...envelope } = data;
      let touched = false;
      const passChoices: unknown[] = [];
      const finishes: { index: number; choice: Record<string, unknown> }[] = [];
      for (const [position, rawChoice] of choices.entries()) {
        if (!isRecord(rawChoice)) {
          passChoices.push(rawChoice);
          continue;
        }
        const index = typeof rawChoice.index === 'number' ? rawChoice.index : position;
        const delta = isRecord(rawChoice.delta) ? rawChoice.delta : undefined;
        let rest: Record<string, unknown> | undefined = delta;
        if (delta && (Array.isArray(delta.tool_calls) || isRecord(delta.function_call))) {
          touched = true;
          const { tool_calls: toolCalls, function_call: functionCall, ...others } = delta;
          rest = others;
          const choiceFields = Object.fromEntries(Object.entries(rawChoice).filter(([k]) => k !== 'delta'));
          const heldDeltas: { key: string; delta: Record<string, unknown> }[] = [];
          if (Array.isArray(toolCalls)) {
            for (const [k, rawCall] of toolCalls.entries()) {
              if (!isRecord(rawCall)) continue;
              heldDeltas.push({
                key: `tool:${typeof rawCall.index === 'number' ? rawCall.index : k}`,
                delta: rawCall,
              });
            }
          }
          if (isRecord(functionCall)) heldDeltas.push({ key: 'function', delta: functionCall });
          // The event can be replayed as is when this one delta is all it carried.
          const alone =
            choices.length === 1 &&
            heldDeltas.length === 1 &&
            Object.keys(others).length === 0 &&
            !isFinish(rawChoice);
          for (const { key, delta: fields } of heldDeltas) {
            hold(index, key, {
              delta: fields,
              envelope,
              choice: { ...choiceFields, finish_reason: null },
              raw: alone ? event : undefined,
            });
          }
        }
        const finishing = isFinish(rawChoice);
        if (finishing && held.has(index)) {
          touched = true;
          finishes.push({ index, choice: { ...rawChoice, ...(rest ? { delta: rest } : {}) } });
          continue;
        }
        // Keep what else the choice carried (text, role) when its tool deltas were taken out.
        if (rest !== delta) {
          const hasOther = Object.keys(rest ?? {}).some((k) => rest?.[k] !== undefined && rest[k] !== null);
          if (hasOther) passChoices.push({ ...rawChoice, delta: rest });
        } else passChoices.push(rawChoice);
      }
      if (!touched) return [event];
      const out: SseEvent[] = [];
      if (passChoices.length > 0) out.push(jsonEvent({ ...envelope, choices: passChoices }));
      for (const finish of finishes) {
        const { choice } = finish;
        const delta = isRecord(choice.delta) ? choice.delta : {};
        // Any text that rode on the finishing chunk goes out before the released calls.
        const hasText = Object.keys(delta).some((k) => delta[k] !== undefined && delta[k] !== null);
        if (hasText) {
          out.push(jsonEvent({ ...envelope, choices: [{ ...choice, delta, finish_reason: null }] }));
        }
        out.push(...(await release(finish.index, { envelope, choice: { ...choice, delta: {} } })));
      }
      return out;
    },
    async end() {
      // The stream ended without [DONE]: calls whose choice never finished are incomplete and dropped.
      held.clear();
      return Promise.resolve([]);
    },
  };
}

interface HeldBlock {
  readonly id: string;
  readonly name: string;
  readonly initialInput: unknown;
  json: string;
  readonly events: SseEvent[];
}

function anthropicStreamGuard(judge: CallJudge, maxHeld: number): ToolStreamGuard {
  const held = new Map<number, HeldBlock>();
  const outcomes: CallOutcome[] = [];
  let heldSize = 0;
  let allowed = 0;
  let blocked = 0;

  async function release(index: number, stop: SseEvent): Promise<SseEvent[]> {
    const block = held.get(index);
    held.delete(index);
    if (!block) return [stop];
    const hasInitial = isRecord(block.initialInput) && Object.keys(block.initialInput).length > 0;
    const ref: ToolCallRef = {
      id: block.id,
      name: block.name,
      arguments: block.json !== '' ? block.json : JSON.stringify(hasInitial ? block.initialInput : {}),
    };
    const verdict =
      heldSize > maxHeld
        ? { allowed: false, rule: 'parapet/limits', reason: 'the tool-call arguments exceed the size limit' }
        : await judge(ref);
    outcomes.push({ call: ref, verdict });
    if (verdict.allowed) {
      allowed++;
      return [...block.events, stop];
    }
    blocked++;
    return [
      jsonEvent(
        { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
        'content_block_start',
      ),
      jsonEvent(
        {
          type: 'content_block_delta',
          index,
          delta: { type: 'text_delta', text: blockedNotice(ref, verdict) },
        },
        'content_block_delta',
      ),
      jsonEvent({ type: 'content_block_stop', index }, 'content_block_stop'),
    ];
  }

  return {
    outcomes,
    async push(event, rawData) {
      const data = parseData(event, rawData);
      if (!isRecord(data)) return [event];
      const index = typeof data.index === 'number' ? data.index : -1;
      switch (data.type) {
        case 'message_start':
          allowed = 0;
          blocked = 0;
          return [event];
        case 'content_block_start': {
          const block = isRecord(data.content_block) ? data.content_block : undefined;
          if (block?.type !== 'tool_use') return [event];
          held.set(index, {
            id: typeof block.id === 'string' ? block.id : '',
            name: typeof block.name === 'string' ? block.name : '',
            initialInput: block.input,
            json: '',
            events: [event],
          });
          return [];
        }
        case 'content_block_delta': {
          const block = held.get(index);
          if (!block) return [event];
          const delta = isRecord(data.delta) ? data.delta : {};
          if (typeof delta.partial_json === 'string') {
            block.json += delta.partial_json;
            heldSize += delta.partial_json.length;
          }
          block.events.push(event);
          return [];
        }
        case 'content_block_stop':
          return held.has(index) ? release(index, event) : [event];
        case 'message_delta': {
          const delta = isRecord(data.delta) ? data.delta : undefined;
          if (blocked > 0 && allowed === 0 && delta?.stop_reason === 'tool_use') {
            return [jsonEvent({ ...data, delta: { ...delta, stop_reason: 'end_turn' } }, event.event)];
          }
          return [event];
        }
        default:
          return [event];
      }
    },
    async end() {
      // A tool_use block without its stop is incomplete: it is dropped, never released.
      held.clear();
      return Promise.resolve([]);
    },
  };
}
