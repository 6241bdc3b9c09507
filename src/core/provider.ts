import type { ApiStyle, Conversation, Endpoint, JsonPath, Origin } from './conversation.ts';
import type { ErrorBody } from './errors.ts';

export type JsonObject = Record<string, unknown>;

/** One server-sent event as it came off the wire. `raw` is re-emitted verbatim when unchanged. */
export interface SseEvent {
  readonly event?: string | undefined;
  readonly data: string;
  readonly id?: string | undefined;
  readonly raw: string;
}

/**
 * A piece of generated text inside a response body or a stream event. `channel` identifies the
 * stream of text it continues (`choice:0`, `choice:0/tool:1`, `block:2`) so scanners see each
 * channel as one running text; `path` locates the string inside the body or event data.
 */
export interface OutputText {
  readonly channel: string;
  readonly origin: Extract<Origin, 'assistant' | 'tool_call_arguments'>;
  readonly text: string;
  readonly path: JsonPath;
  /** For tool-call channels: the tool name once known. */
  readonly toolName?: string | undefined;
}

/** What one stream event carries, as far as the guard cares. */
export interface StreamEventInfo {
  readonly texts: readonly OutputText[];
  /** Channels this event closes (finish_reason, content_block_stop). */
  readonly closes: readonly string[];
  /** True for the event that ends the stream (`[DONE]`, `message_stop`). */
  readonly terminal: boolean;
}

/**
 * Translation only, no decisions: one adapter per wire API. Adapters parse bodies into the
 * conversation model, locate output text, and build well-formed endings for blocked streams.
 */
export interface ProviderAdapter {
  readonly api: ApiStyle;
  /** Parse a client request. Throws ParapetError('invalid_request') naming the bad field. */
  parseRequest(endpoint: Endpoint, body: JsonObject): Conversation;
  /** Generated text in a complete (non-streaming) response body. */
  responseTexts(endpoint: Endpoint, body: JsonObject): OutputText[];
  /** A fresh, stateful reader for one streamed response. */
  streamReader(endpoint: Endpoint): (event: SseEvent, data: unknown) => StreamEventInfo;
  /**
   * Events that end a stream early and well-formed when a rule blocks mid-answer: the client's
   * SDK sees a normal end (OpenAI: a `content_filter` finish then `[DONE]`; Anthropic: block and
   * message stops) plus the reason.
   */
  blockedStreamEnd(endpoint: Endpoint, error: ErrorBody, openChannels: readonly string[]): SseEvent[];
}

/** Rewrites bodies between wire APIs when a client and its upstream speak different ones. */
export interface Translator {
  readonly from: ApiStyle;
  readonly to: ApiStyle;
  request(endpoint: Endpoint, body: JsonObject): { endpoint: Endpoint; body: JsonObject };
  response(endpoint: Endpoint, body: JsonObject): JsonObject;
  /** A fresh, stateful mapper from upstream events to client events for one stream. */
  stream(endpoint: Endpoint): (event: SseEvent) => SseEvent[];
}
