/**
 * The one internal conversation model. Provider adapters turn OpenAI and Anthropic request bodies
 * into a Conversation so that every scanner and policy works the same way on both APIs.
 *
 * The raw request body stays the source of truth: each segment records the JSON path it came from,
 * so the pipeline edits only what a policy changes and everything else (unknown fields included)
 * reaches the upstream byte-for-byte as the client sent it.
 */

/** Which wire API a body speaks. */
export type ApiStyle = 'openai' | 'anthropic';

/** The endpoint a request arrived on, independent of the wire API details. */
export type Endpoint = 'chat' | 'completions' | 'embeddings' | 'messages';

export const ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Where a piece of text came from. Trust follows origin: `prompt` and `system` are written by the
 * caller; `tool_result` and `document` are untrusted content that entered the context.
 */
export const ORIGINS = [
  'system',
  'prompt',
  'assistant',
  'tool_result',
  'document',
  'tool_call_arguments',
  'tool_definition',
  'embedding_input',
] as const;
export type Origin = (typeof ORIGINS)[number];

/** A JSON path into a request or response body, e.g. `['messages', 2, 'content', 0, 'text']`. */
export type JsonPath = readonly (string | number)[];

export interface TextSegment {
  readonly text: string;
  readonly role: Role;
  readonly origin: Origin;
  /** Where the text lives in the raw body; edits are written back there. */
  readonly path: JsonPath;
  /** Index of the message this segment belongs to (-1 for top-level fields such as `system`). */
  readonly messageIndex: number;
}

export interface ToolDefinition {
  readonly name: string;
  readonly description: string;
  /** JSON schema of the parameters, as the client sent it. */
  readonly parameters: unknown;
  readonly path: JsonPath;
}

export interface ToolCall {
  readonly id: string;
  readonly name: string;
  /** Arguments as a JSON text (OpenAI sends a string; Anthropic's object is serialised). */
  readonly arguments: string;
  readonly path: JsonPath;
}

export interface Message {
  readonly role: Role;
  readonly segments: readonly TextSegment[];
  readonly toolCalls: readonly ToolCall[];
  /** For tool results: the id of the call this message answers. */
  readonly toolCallId?: string;
}

export interface Conversation {
  readonly api: ApiStyle;
  readonly endpoint: Endpoint;
  readonly model: string;
  readonly stream: boolean;
  readonly messages: readonly Message[];
  readonly tools: readonly ToolDefinition[];
  /**
   * The JSON schema the answer must follow, when the client asked for structured output (OpenAI
   * `response_format` `json_schema`; `json_object` is `{ "type": "object" }`).
   */
  readonly responseSchema?: unknown;
}

/** Every text segment of a conversation in order, system prompt first. */
export function segmentsOf(conversation: Conversation): TextSegment[] {
  return conversation.messages.flatMap((m) => m.segments);
}
