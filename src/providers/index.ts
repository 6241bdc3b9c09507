import type { ApiStyle } from '../core/conversation.ts';
import { ParapetError } from '../core/errors.ts';
import type { ProviderAdapter, Translator } from '../core/provider.ts';
import { anthropicAdapter } from './anthropic.ts';
import { openaiAdapter } from './openai.ts';

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
  throw new ParapetError('invalid_request', `Translation from ${from} to ${to} is not available yet.`);
}
