import type { ApiStyle, Endpoint } from '../core/conversation.ts';
import type { ProviderAdapter, SseEvent, Translator } from '../core/provider.ts';
import { anthropicAdapter } from './anthropic.ts';
import { openaiAdapter } from './openai.ts';
import { anthropicToOpenai } from './translate/anthropic-to-openai.ts';
import { openaiToAnthropic } from './translate/openai-to-anthropic.ts';

export { applySegmentEdits, getAtPath, setAtPath } from './json-path.ts';
export { parseSseStream, serializeEvent, SseParser, sseEvent } from './sse.ts';

const ADAPTERS: Readonly<Record<ApiStyle, ProviderAdapter>> = {
  openai: openaiAdapter,
  anthropic: anthropicAdapter,
};

export function adapterFor(api: ApiStyle): ProviderAdapter {
  return ADAPTERS[api];
}

/** The translator from a client's API to its upstream's, or undefined when they speak the same one. */
export function translatorFor(from: ApiStyle, to: ApiStyle): Translator | undefined {
  if (from === to) return undefined;
  return from === 'openai' ? openaiToAnthropic : anthropicToOpenai;
}

/**
 * Map an upstream event stream to the client's API. `endpoint` is the client's endpoint (the one
 * given to `translator.request`).
 */
export async function* translateEvents(
  events: AsyncIterable<SseEvent>,
  translator: Translator,
  endpoint: Endpoint,
): AsyncGenerator<SseEvent> {
  const map = translator.stream(endpoint);
  for await (const event of events) yield* map(event);
}
