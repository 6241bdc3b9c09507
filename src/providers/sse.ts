import { ParapetError } from '../core/errors.ts';
import type { SseEvent } from '../core/provider.ts';

/** Default bound on one event (UTF-16 code units of its raw text); real deltas are a few hundred. */
export const DEFAULT_MAX_EVENT_SIZE = 1024 * 1024;

export interface SseFields {
  readonly event?: string | undefined;
  readonly data: string;
  readonly id?: string | undefined;
}

/**
 * Incremental server-sent-events parser (WHATWG HTML, "Parsing an event stream"): lines end in
 * CRLF, LF or CR; `data` lines join with LF; `:` starts a comment; a blank line ends an event.
 *
 * Every input character is attributed to exactly one event's `raw`, so concatenating the `raw`
 * of all events returned by `push` and `end` reproduces the input byte for byte. Blank lines
 * before an event and comment-only blocks therefore stay in `raw` (a comment-only block becomes an
 * event with empty `data`, which consumers forward untouched).
 */
export class SseParser {
  readonly #maxEventSize: number;
  /** Unconsumed input: the incomplete last line. */
  #pending = '';
  /** Raw text of the lines of the event being built. */
  #raw = '';
  #data: string[] = [];
  #event: string | undefined;
  #id: string | undefined;
  /** True once the event holds a non-blank line (so the next blank line dispatches it). */
  #started = false;
  #atStreamStart = true;
  /** Offset in `#pending` before which no line break remains, so long lines are scanned once. */
  #scanned = 0;

  constructor(options: { maxEventSize?: number } = {}) {
    this.#maxEventSize = options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
  }

  push(chunk: string): SseEvent[] {
    this.#pending += chunk;
    const events: SseEvent[] = [];
    let lineStart = 0;
    for (;;) {
      const end = nextLineBreak(this.#pending, Math.max(lineStart, this.#scanned));
      if (end === -1) break;
      let next = end + 1;
      if (this.#pending.charCodeAt(end) === CR) {
        // A CR at the very end may be the first half of a CRLF that the next chunk completes.
        if (end + 1 === this.#pending.length) break;
        if (this.#pending.charCodeAt(end + 1) === LF) next = end + 2;
      }
      const event = this.#line(this.#pending.slice(lineStart, end), this.#pending.slice(lineStart, next));
      if (event !== undefined) events.push(event);
      lineStart = next;
    }
    this.#pending = this.#pending.slice(lineStart);
    // Resume the search for a line break where this one stopped (a CR may still pair with an LF).
    this.#scanned = Math.max(0, this.#pending.length - 1);
    this.#checkSize(this.#pending.length);
    return events;
  }

  /** Flush at end of input: an unterminated last event is still returned so no byte is lost. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.#pending !== '') {
      // The stream ended mid-line (possibly after a lone CR): that text is the last line.
      const tail = this.#pending;
      this.#pending = '';
      this.#scanned = 0;
      const line = tail.endsWith('\r') ? tail.slice(0, -1) : tail;
      const event = this.#line(line, tail);
      if (event !== undefined) events.push(event);
    }
    if (this.#raw !== '') events.push(this.#dispatch());
    return events;
  }

  #line(line: string, raw: string): SseEvent | undefined {
    if (this.#atStreamStart) {
      this.#atStreamStart = false;
      // A leading byte-order mark is not part of the first field name.
      if (line.startsWith('\uFEFF')) line = line.slice(1);
    }
    this.#raw += raw;
    this.#checkSize(0);
    if (line === '') return this.#started ? this.#dispatch() : undefined;
    this.#started = true;
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'data') this.#data.push(value);
    else if (name === 'event') this.#event = value;
    // An id containing NUL is ignored (WHATWG HTML, event stream interpretation).
    else if (name === 'id' && !value.includes('\0')) this.#id = value;
    return undefined;
  }

  #checkSize(pendingLength: number): void {
    if (this.#raw.length + pendingLength > this.#maxEventSize) {
      throw new ParapetError(
        'upstream_error',
        `The upstream sent a stream event larger than ${this.#maxEventSize} characters.`,
      );
    }
  }

  #dispatch(): SseEvent {
    const event: SseEvent = { event: this.#event, data: this.#data.join('\n'), id: this.#id, raw: this.#raw };
    this.#raw = '';
    this.#data = [];
    this.#event = undefined;
    this.#id = undefined;
    this.#started = false;
    return event;
  }
}

const CR = 13;
const LF = 10;

function nextLineBreak(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) return i;
  }
  return -1;
}

/** Wire text for one event: `event:` and `id:` lines when given, one `data:` line per data line. */
export function serializeEvent(fields: SseFields): string {
  let out = '';
  if (fields.event !== undefined) out += `event: ${fields.event}\n`;
  if (fields.id !== undefined) out += `id: ${fields.id}\n`;
  for (const line of fields.data.split('\n')) out += `data: ${line}\n`;
  return out + '\n';
}

/** A new event whose `raw` is its serialisation. */
export function sseEvent(fields: SseFields): SseEvent {
  return { event: fields.event, data: fields.data, id: fields.id, raw: serializeEvent(fields) };
}

/** An event carrying `payload` as JSON data. */
export function jsonEvent(payload: unknown, event?: string): SseEvent {
  return sseEvent({ event, data: JSON.stringify(payload) });
}

/** Parse a byte stream (e.g. an undici response body) into events, decoding UTF-8 across chunks. */
export async function* parseSseStream(
  body: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: { maxEventSize?: number } = {},
): AsyncGenerator<SseEvent> {
  const parser = new SseParser(options);
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    yield* parser.push(text);
  }
  yield* parser.push(decoder.decode());
  yield* parser.end();
}
