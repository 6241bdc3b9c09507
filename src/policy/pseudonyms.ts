import type { Origin } from '../core/conversation.ts';
import type { SpanRewrite } from '../core/guard.ts';
import type { PseudonymSession } from './engine.ts';

/**
 * Reversible pseudonymisation for one exchange: each distinct value gets a placeholder such as
 * `<EMAIL_ADDRESS_1>`, numbered per entity in the order values are first met. The engine scans the
 * request in order (messages first to last), so a client that sends the same conversation back
 * gets the same placeholders for the same values. The map lives in this object only: it is never
 * logged, stored, or shared with another exchange.
 */

/** Placeholder shape: `<` + entity (upper case, digits, `_`) + `_` + number + `>`. */
const PLACEHOLDER = /<[A-Z][A-Z0-9_]*_\d+>/g;
/** A placeholder still being written at the end of a text: `<`, `<EMAIL_AD`, `<EMAIL_ADDRESS_1`. */
const PARTIAL_PLACEHOLDER = /^<[A-Z0-9_]*$/;

export function createPseudonymSession(): PseudonymSession {
  const byValue = new Map<string, string>();
  const byPlaceholder = new Map<string, string>();
  const counters = new Map<string, number>();
  let longest = 0;

  return {
    placeholder(entity: string, value: string): string {
      const key = `${entity}\u0000${value}`;
      const known = byValue.get(key);
      if (known !== undefined) return known;
      const n = (counters.get(entity) ?? 0) + 1;
      counters.set(entity, n);
      const placeholder = `<${placeholderName(entity)}_${n}>`;
      byValue.set(key, placeholder);
      byPlaceholder.set(placeholder, value);
      longest = Math.max(longest, placeholder.length);
      return placeholder;
    },

    restore(text: string, origin: Origin): readonly SpanRewrite[] {
      if (byPlaceholder.size === 0 || !text.includes('<')) return [];
      const rewrites: SpanRewrite[] = [];
      for (const match of text.matchAll(PLACEHOLDER)) {
        const value = byPlaceholder.get(match[0]);
        if (value === undefined) continue;
        rewrites.push({
          start: match.index,
          end: match.index + match[0].length,
          // Tool-call arguments are JSON text: the value goes back as the inside of a JSON string.
          replacement: origin === 'tool_call_arguments' ? JSON.stringify(value).slice(1, -1) : value,
        });
      }
      return rewrites;
    },

    pendingStart(text: string): number {
      if (byPlaceholder.size === 0) return text.length;
      const at = text.lastIndexOf('<');
      if (at < 0 || text.length - at >= longest) return text.length;
      return PARTIAL_PLACEHOLDER.test(text.slice(at)) ? at : text.length;
    },

    values(): IterableIterator<[string, string]> {
      return byPlaceholder.entries();
    },

    get maxPlaceholderLength() {
      return longest;
    },
  };
}

/** Entity labels become placeholder names: `pii.email_address` → `PII_EMAIL_ADDRESS`. */
function placeholderName(entity: string): string {
  return entity.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}
