import type { Endpoint, JsonPath, Origin } from '../core/conversation.ts';
import { isBlocking, REWRITE_ACTIONS } from '../core/decision.ts';
import type { Decision } from '../core/decision.ts';
import { errorBody, policyViolation } from '../core/errors.ts';
import type { OutputGuard, SpanRewrite } from '../core/guard.ts';
import { applyRewrites } from '../core/guard.ts';
import type { JsonObject, ProviderAdapter, SseEvent } from '../core/provider.ts';
import { getAtPath, rewriteSerialised, setAtPath } from '../providers/json-path.ts';
import { sseEvent } from '../providers/sse.ts';

/** Default bound on the text held back per stream (UTF-16 code units, bytes for ASCII). */
export const DEFAULT_MAX_HELD_BYTES = 64 * 1024;

/**
 * Held raw event bytes may reach this multiple of `maxHeldBytes`: a streamed delta wraps a few
 * characters of text in 100–200 bytes of JSON, so the text bound alone would release early on
 * every ordinary stream, while events without text (pings) need a bound of their own.
 */
const RAW_BYTES_PER_TEXT_UNIT = 64;

/** Left context scanned before the finalised offset; findings only need a few characters. */
const MAX_CONTEXT = 1024;

/**
 * Left context when scanning on every delta (`pendingStart`): each scan reads context plus the
 * few held characters, so the context dominates its cost. Checks read at most 64–128 characters
 * before a finding (key names, context words).
 */
const MAX_CONTEXT_PER_DELTA = 256;

/** Largest batch of text finalised per scan; more text per scan means fewer rescans of the window. */
const MAX_SCAN_STEP = 512;

export interface ResponseGuardOptions {
  readonly adapter: ProviderAdapter;
  readonly endpoint: Endpoint;
  readonly output: OutputGuard;
}

export interface ResponseGuardResult {
  /** The same body object, with enforced rewrites applied in place. */
  readonly body: JsonObject;
  readonly decisions: Decision[];
  /** The enforced block that stopped the answer; the body must then not reach the client. */
  readonly block?: Decision;
  /**
   * True when a rewrite changed the body, also one no decision reports (pseudonyms restored):
   * the body must then be re-serialised rather than forwarded as the upstream's bytes.
   */
  readonly changed: boolean;
}

/** Scan every output text of a complete response and apply enforced rewrites in place. */
export async function guardResponseBody(
  body: JsonObject,
  options: ResponseGuardOptions,
): Promise<ResponseGuardResult> {
  const { adapter, endpoint, output } = options;
  const decisions: Decision[] = [];
  if (output.passthrough) return { body, decisions, changed: false };
  let changed = false;
  for (const text of adapter.responseTexts(endpoint, body)) {
    const verdict = await output.scan(text.text, text.origin);
    decisions.push(...verdict.decisions);
    if (verdict.block !== undefined) return { body, decisions, block: verdict.block, changed };
    if (verdict.rewrites.length === 0) continue;
    changed = true;
    const current = getAtPath(body, text.path);
    if (typeof current === 'string') {
      setAtPath(body, text.path, applyRewrites(current, verdict.rewrites));
      continue;
    }
    // Tool input objects were scanned as JSON text; a rewrite that breaks that JSON cannot be
    // forwarded as a call, so the answer is stopped instead (fail closed).
    try {
      setAtPath(body, text.path, rewriteSerialised(current, { path: text.path, rewrites: verdict.rewrites }));
    } catch {
      return { body, decisions, block: brokenToolInput(verdict.decisions), changed };
    }
  }
  return { body, decisions, changed };
}

function brokenToolInput(decisions: readonly Decision[]): Decision {
  const rewrite = decisions.find((d) => d.mode === 'enforce' && REWRITE_ACTIONS.has(d.action));
  const base: Decision = rewrite ?? {
    rule: 'parapet/output.toolInput',
    policy: 'parapet',
    stage: 'output',
    action: 'block',
    mode: 'enforce',
    owasp: 'LLM05',
    reason: '',
    findings: [],
  };
  return {
    ...base,
    action: 'block',
    reason:
      `${base.reason} The rewritten tool-call input was no longer valid JSON, so the call was stopped.`.trim(),
  };
}

export interface StreamGuardOptions extends ResponseGuardOptions {
  /** Called once for every decision as the text it concerns is finalised. */
  readonly onDecision?: (decision: Decision) => void;
  /**
   * Bound on held text (default 64 KiB; raw event bytes are bounded at 64 times this); past it
   * the oldest held event is scanned and released early. Keep it above `output.holdback`.
   */
  readonly maxHeldBytes?: number;
  /**
   * Channels (e.g. tool-call arguments) whose events are held until the channel closes, so the
   * complete text is judged before any of it is released. Tool governance plugs in here.
   */
  readonly holdChannelUntilClose?: (channel: string, toolName: string | undefined) => boolean;
}

/**
 * Guard a streamed answer: yields the SSE text to write to the client.
 *
 * Each channel (one running text: a choice, a tool call, a content block) keeps a hold-back
 * window of `output.holdback` characters. Text is finalised up to (channel length − holdback):
 * by then every finding that starts there is complete, because no finding is longer than the
 * holdback. The held window is scanned (with up to one holdback, at most 1024 characters, of
 * already-released text before it as context) whenever a step of new text (holdback/8, 1 to 512
 * characters) can be finalised, and once more when the channel ends; findings and rewrites starting
 * in the newly finalised range are committed. When the output guard reports `pendingStart`, text
 * before it is finalised as soon as it arrives (a scan per delta, with at most 256 characters of
 * context), so text no check could still match is not held for the whole hold-back. An event leaves the queue once all its text is finalised, strictly in arrival order,
 * so events without text never overtake held ones. A rewrite puts its replacement in the event
 * where its span starts and removes the covered text from the following events.
 */
export async function* guardStream(
  events: AsyncIterable<SseEvent>,
  options: StreamGuardOptions,
): AsyncGenerator<string> {
  if (options.output.passthrough) {
    for await (const event of events) yield event.raw;
    return;
  }
  const guard = new StreamGuardState(options);
  let yieldedAt: number | undefined;
  for await (const event of events) {
    const out = await guard.push(event);
    for (const text of out) yield text;
    if (guard.blocked) return;
    // Events that arrived in one network read are processed in one run of promise jobs, and Node
    // sends a chunked response's writes only when that run ends (it corks the socket until the
    // next tick). Returning to the event loop after the first release, and then every millisecond,
    // lets the first token leave at once and keeps one burst from starving other streams.
    if (out.length > 0 && (yieldedAt === undefined || performance.now() - yieldedAt > YIELD_EVERY_MS)) {
      await new Promise((resolve) => setImmediate(resolve));
      yieldedAt = performance.now();
    }
  }
  for (const text of await guard.end()) yield text;
}

/** Longest run of stream work between two returns to the event loop (see `guardStream`). */
const YIELD_EVERY_MS = 1;

interface Channel {
  readonly name: string;
  readonly origin: Origin;
  readonly holdUntilClose: boolean;
  /** Original (unrewritten) text from absolute offset `offset` to `length`. */
  text: string;
  offset: number;
  length: number;
  /** Text before this offset is scanned and its findings committed. */
  final: number;
  /** Start of the oldest text still held in the queue (`length` when none is). */
  heldFrom: number;
  closed: boolean;
  /** Channel length at the last whole-text scan (-1 before any). */
  completedAt: number;
  /** Committed rewrites in absolute offsets, sorted and non-overlapping. */
  rewrites: SpanRewrite[];
}

interface Piece {
  readonly channel: Channel;
  readonly start: number;
  readonly end: number;
  readonly path: JsonPath;
}

interface HeldEvent {
  readonly event: SseEvent;
  readonly data: unknown;
  readonly pieces: readonly Piece[];
  /** Length of the text the event carries. */
  readonly text: number;
}

class StreamGuardState {
  blocked = false;
  readonly #options: StreamGuardOptions;
  readonly #read: ReturnType<ProviderAdapter['streamReader']>;
  readonly #holdback: number;
  readonly #maxHeldText: number;
  readonly #maxHeldRaw: number;
  /** Context kept before the finalised offset so findings at the window's start are whole. */
  readonly #context: number;
  /**
   * Scans wait until this much text can be finalised: each scan reads the whole window (context +
   * hold-back), so scanning on every few-character delta would cost O(holdback) per delta.
   */
  readonly #step: number;
  readonly #channels = new Map<string, Channel>();
  readonly #queue: HeldEvent[] = [];
  #heldText = 0;
  #heldRaw = 0;
  #pendingBlock: Decision | undefined;
  /**
   * The output checks report where findings may still grow: text is finalised as soon as it is
   * settled, scanning on every delta (the window is then short), so the first token is not held.
   */
  readonly #pending: boolean;

  constructor(options: StreamGuardOptions) {
    this.#options = options;
    this.#read = options.adapter.streamReader(options.endpoint);
    this.#holdback = Math.max(0, options.output.holdback);
    this.#maxHeldText = options.maxHeldBytes ?? DEFAULT_MAX_HELD_BYTES;
    this.#maxHeldRaw = this.#maxHeldText * RAW_BYTES_PER_TEXT_UNIT;
    this.#pending = options.output.pendingStart !== undefined;
    this.#context = Math.min(
      this.#holdback,
      this.#maxHeldText,
      this.#pending ? MAX_CONTEXT_PER_DELTA : MAX_CONTEXT,
    );
    this.#step = Math.max(1, Math.min(Math.ceil(this.#holdback / 8), MAX_SCAN_STEP));
  }

  async push(event: SseEvent): Promise<string[]> {
    const data = parseData(event.data);
    // Both APIs send JSON (or `[DONE]`). Data that does not parse, such as an event cut off when
    // the upstream died mid-write, may carry text no check can read: it is dropped, not forwarded.
    if (data === OPAQUE) return [];
    const info = this.#read(event, data);
    // Indexed loops here and below: this runs once per streamed delta, and unoptimised code
    // allocates an iterator and a result object per for-of step (and a closure per callback).
    const pieces: Piece[] = [];
    let heldText = 0;
    for (let i = 0; i < info.texts.length; i++) {
      const text = info.texts[i] as (typeof info.texts)[number];
      const channel = this.#channel(text.channel, text.origin, text.toolName);
      pieces.push({
        channel,
        start: channel.length,
        end: channel.length + text.text.length,
        path: text.path,
      });
      channel.text += text.text;
      channel.length += text.text.length;
      heldText += text.text.length;
    }
    const held: HeldEvent = { event, data, pieces, text: heldText };
    this.#queue.push(held);
    this.#heldText += held.text;
    this.#heldRaw += event.raw.length;

    for (let i = 0; i < pieces.length; i++) {
      const { channel } = pieces[i] as Piece;
      if (channel.holdUntilClose) continue;
      const target = this.#target(channel);
      if (target <= channel.final || (!this.#pending && target - channel.final < this.#step)) continue;
      if (await this.#advance(channel, target, false)) return this.#blockedEnd();
    }
    for (let i = 0; i < info.closes.length; i++) {
      const channel = this.#channels.get(info.closes[i] as string);
      if (channel === undefined) continue;
      if (await this.#advance(channel, channel.length, true)) return this.#blockedEnd();
      channel.closed = true;
    }
    if (info.terminal && (await this.#finaliseAll())) return this.#blockedEnd();
    const out = this.#release();
    // Memory bound: when held events outgrow the limit, the oldest one is finalised early even
    // though its channel's hold-back window is not full. A finding that starts in it and only
    // completes in text not yet received can then be missed; the alternative, holding without
    // bound, lets one slow or huge answer exhaust the gateway's memory.
    while (
      (this.#heldText > this.#maxHeldText || this.#heldRaw > this.#maxHeldRaw) &&
      this.#queue.length > 0
    ) {
      const oldest = this.#queue[0];
      if (oldest === undefined) break;
      for (const piece of oldest.pieces) {
        if (await this.#advance(piece.channel, piece.end, false)) return [...out, ...this.#blockedEnd()];
      }
      out.push(...this.#release());
    }
    return out;
  }

  /**
   * How far a channel's text can be finalised now: everything but the hold-back, or, when the
   * output checks say where a finding may still be growing, everything before that.
   */
  #target(channel: Channel): number {
    const { output } = this.#options;
    if (output.pendingStart === undefined) return channel.length - this.#holdback;
    const pending = channel.offset + output.pendingStart(channel.text, channel.origin);
    return Math.min(channel.length, Math.max(pending, channel.length - this.#holdback));
  }

  async end(): Promise<string[]> {
    if (await this.#finaliseAll()) return this.#blockedEnd();
    return this.#release();
  }

  #channel(name: string, origin: Origin, toolName: string | undefined): Channel {
    let channel = this.#channels.get(name);
    if (channel === undefined) {
      channel = {
        name,
        origin,
        holdUntilClose: this.#options.holdChannelUntilClose?.(name, toolName) ?? false,
        text: '',
        offset: 0,
        length: 0,
        final: 0,
        heldFrom: 0,
        closed: false,
        completedAt: -1,
        rewrites: [],
      };
      this.#channels.set(name, channel);
    }
    return channel;
  }

  async #finaliseAll(): Promise<boolean> {
    for (const channel of this.#channels.values()) {
      if (await this.#advance(channel, channel.length, true)) return true;
    }
    return false;
  }

  /**
   * Scan the channel's window and finalise its text up to `target`. Returns true when an
   * enforced block fired (the stream must end). `complete` marks the scan of the channel's whole
   * text (close or end of stream), which also reports decisions that point at no span.
   */
  async #advance(channel: Channel, target: number, complete: boolean): Promise<boolean> {
    if (complete ? channel.completedAt === channel.length : target <= channel.final) return false;
    if (complete) channel.completedAt = channel.length;
    const verdict = await this.#options.output.scan(channel.text, channel.origin);
    const base = channel.offset;
    for (const found of verdict.decisions) {
      // Offsets in reported findings index the channel's running text, not the scanned window.
      const decision = shiftFindings(found, base);
      if (isBlocking(decision)) {
        // A block whose evidence lies wholly in already-released text was judged when that
        // text was finalised; it cannot be taken back now, and it fired then if it was real.
        const ends = decision.findings.map((f) => f.end);
        if (ends.length === 0 || Math.max(...ends) > channel.final) return this.#block(decision);
        continue;
      }
      // Windows overlap, so a check sees a finding in several scans: each finding is reported
      // once, in the scan that finalises its start. A decision with no findings is reported on
      // the scan of the whole text.
      if (decision.findings.length === 0) {
        if (complete) this.#options.onDecision?.(decision);
        continue;
      }
      const fresh = decision.findings.filter((f) => f.start >= channel.final && f.start < target);
      if (fresh.length > 0) this.#options.onDecision?.({ ...decision, findings: fresh });
    }
    if (verdict.block !== undefined && !verdict.decisions.includes(verdict.block))
      return this.#block(verdict.block);
    let committedEnd = channel.rewrites.at(-1)?.end ?? 0;
    for (const rewrite of verdict.rewrites) {
      const start = rewrite.start + base;
      // Rewrites starting before `final` were committed (or judged absent) by an earlier scan.
      if (start < channel.final || start >= target || start < committedEnd) continue;
      committedEnd = rewrite.end + base;
      channel.rewrites.push({ start, end: committedEnd, replacement: rewrite.replacement });
    }
    channel.final = Math.max(channel.final, target);
    this.#trim(channel);
    return false;
  }

  #block(decision: Decision): boolean {
    this.#options.onDecision?.(decision);
    this.#pendingBlock = decision;
    return true;
  }

  #blockedEnd(): string[] {
    const decision = this.#pendingBlock;
    this.blocked = true;
    this.#queue.length = 0;
    this.#heldText = 0;
    this.#heldRaw = 0;
    if (decision === undefined) return [];
    const open = [...this.#channels.values()].filter((c) => !c.closed).map((c) => c.name);
    const ending = this.#options.adapter.blockedStreamEnd(
      this.#options.endpoint,
      errorBody(policyViolation(decision)),
      open,
    );
    return ending.map((e) => e.raw);
  }

  /** Release events from the head of the queue while all their text is finalised. */
  #release(): string[] {
    const out: string[] = [];
    for (;;) {
      const head = this.#queue[0];
      if (head === undefined || !allFinal(head.pieces)) break;
      this.#queue.shift();
      this.#heldText -= head.text;
      this.#heldRaw -= head.event.raw.length;
      out.push(this.#render(head));
      for (let i = 0; i < head.pieces.length; i++) {
        const piece = head.pieces[i] as Piece;
        piece.channel.heldFrom = piece.end;
        this.#trim(piece.channel);
      }
    }
    return out;
  }

  #render(held: HeldEvent): string {
    let changed = false;
    for (const piece of held.pieces) {
      if (piece.channel.rewrites.length === 0) continue;
      const original = slice(piece.channel, piece.start, piece.end);
      const rendered = renderPiece(piece.channel, piece.start, piece.end);
      if (rendered !== original) {
        setAtPath(held.data, piece.path, rendered);
        changed = true;
      }
    }
    if (!changed) return held.event.raw;
    return sseEvent({ event: held.event.event, id: held.event.id, data: JSON.stringify(held.data) }).raw;
  }

  /** Drop text and rewrites no held event and no future scan context needs. */
  #trim(channel: Channel): void {
    const keepFrom = Math.min(channel.heldFrom, Math.max(0, channel.final - this.#context));
    if (keepFrom > channel.offset) {
      channel.text = channel.text.slice(keepFrom - channel.offset);
      channel.offset = keepFrom;
    }
    while (channel.rewrites.length > 0) {
      const first = channel.rewrites[0];
      if (first === undefined || first.start >= channel.heldFrom || first.end > channel.heldFrom) break;
      channel.rewrites.shift();
    }
  }
}

function allFinal(pieces: readonly Piece[]): boolean {
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] as Piece;
    if (piece.end > piece.channel.final) return false;
  }
  return true;
}

function shiftFindings(decision: Decision, by: number): Decision {
  if (by === 0) return decision;
  return {
    ...decision,
    findings: decision.findings.map((f) => ({ ...f, start: f.start + by, end: f.end + by })),
  };
}

const OPAQUE = Symbol('data that is not JSON');

function parseData(data: string): unknown {
  if (data === '' || data.trim() === '[DONE]') return undefined;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return OPAQUE;
  }
}

function slice(channel: Channel, start: number, end: number): string {
  return channel.text.slice(start - channel.offset, end - channel.offset);
}

/**
 * The client-visible text of one piece: original text minus spans covered by rewrites, with each
 * rewrite's replacement placed in the piece where its span starts.
 */
function renderPiece(channel: Channel, start: number, end: number): string {
  let out = '';
  let at = start;
  for (const rewrite of channel.rewrites) {
    if (rewrite.start >= end) break;
    if (rewrite.start >= start) {
      out += slice(channel, at, rewrite.start) + rewrite.replacement;
      at = Math.min(Math.max(at, rewrite.end), end);
    } else if (rewrite.end > at) {
      at = Math.min(rewrite.end, end);
    }
  }
  return out + slice(channel, at, end);
}
