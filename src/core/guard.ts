import type { Conversation, JsonPath, Origin } from './conversation.ts';
import type { Decision } from './decision.ts';

/** Replace `text.slice(start, end)` with `replacement`. Offsets index the scanned text. */
export interface SpanRewrite {
  readonly start: number;
  readonly end: number;
  readonly replacement: string;
}

export interface TextVerdict {
  /** Everything that fired, monitor-mode decisions included. */
  readonly decisions: readonly Decision[];
  /** The first enforced block, when there is one. */
  readonly block?: Decision | undefined;
  /** Enforced rewrites, sorted by start and non-overlapping. */
  readonly rewrites: readonly SpanRewrite[];
}

export interface SegmentEdit {
  readonly path: JsonPath;
  readonly rewrites: readonly SpanRewrite[];
}

export interface InputVerdict {
  readonly decisions: readonly Decision[];
  readonly block?: Decision | undefined;
  /** Rewrites to write back into the raw request body, by segment path. */
  readonly edits: readonly SegmentEdit[];
}

/** Output-side checks of one exchange. Stateful per request (pseudonym maps, canary tokens). */
export interface OutputGuard {
  /** The longest span any output check can match; the stream hold-back is at least this. */
  readonly holdback: number;
  /** True when no output check applies, so responses can be piped through untouched. */
  readonly passthrough: boolean;
  scan(text: string, origin: Origin): TextVerdict | Promise<TextVerdict>;
  /**
   * Optional: the earliest index of `text` (a channel's running text) where an output check could
   * still find something once more text arrives; text before it can be released without waiting
   * for the full `holdback`. Never below `text.length - holdback`.
   */
  pendingStart?(text: string, origin: Origin): number;
}

export interface RequestMeta {
  readonly requestId: string;
  /** Authenticated caller, once identity lands; `anonymous` until then. */
  readonly identity: string;
}

/** One guarded request/response exchange. */
export interface Exchange {
  /** Names of the policies that apply to this exchange. */
  readonly policies: readonly string[];
  checkInput(): Promise<InputVerdict>;
  readonly output: OutputGuard;
}

/** The compiled policy set as the gateway sees it. Swapped atomically on hot reload. */
export interface Guard {
  begin(conversation: Conversation, meta: RequestMeta): Exchange;
}

/** Apply sorted, non-overlapping rewrites to a text. */
export function applyRewrites(text: string, rewrites: readonly SpanRewrite[]): string {
  if (rewrites.length === 0) return text;
  let out = '';
  let at = 0;
  for (const r of rewrites) {
    out += text.slice(at, r.start) + r.replacement;
    at = r.end;
  }
  return out + text.slice(at);
}
