import type { Scanner } from '../../core/scanner.ts';

/**
 * Tool poisoning: instructions hidden in an MCP tool's description or parameter descriptions,
 * which the model reads but a user reviewing the tool list rarely does. Three signals: invisible
 * characters (zero-width, bidi controls, Unicode tag characters used to smuggle ASCII), markup that
 * addresses the model (`<IMPORTANT>`, `<system>`), and the injection detector's own findings.
 */

// Zero-width and joiner characters, bidi embeddings/isolates, BOM, and the Unicode tag block.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u{E0000}-\u{E007F}]/u;
const MODEL_MARKUP = /<\/?\s*(?:important|system|instructions?|secret|hidden|admin)\b[^>]{0,40}>/i;
const SECRECY = /\b(?:do not|don't|never)\s+(?:tell|mention|inform|reveal to|show)\s+(?:the\s+)?user\b/i;

/** Every description text in a tool definition: its own and its parameters' (nested). */
export function descriptionTexts(definition: { description?: unknown; inputSchema?: unknown }): string[] {
  const texts: string[] = [];
  if (typeof definition.description === 'string') texts.push(definition.description);
  const visit = (node: unknown, depth: number): void => {
    // Schemas nest a few levels; the bound stops a hostile, deeply nested schema.
    if (depth > 16 || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'description' || key === 'title') && typeof value === 'string') texts.push(value);
      else visit(value, depth + 1);
    }
  };
  visit(definition.inputSchema, 0);
  return texts;
}

/** Why the definition looks poisoned, or undefined when it does not. */
export async function detectPoisoning(
  definition: { description?: unknown; inputSchema?: unknown },
  injection: Scanner | undefined,
  threshold = 0.5,
): Promise<string | undefined> {
  for (const text of descriptionTexts(definition)) {
    if (INVISIBLE.test(text)) return 'invisible characters in the description';
    if (MODEL_MARKUP.test(text)) return 'markup addressed to the model in the description';
    if (SECRECY.test(text)) return 'the description asks the model to keep something from the user';
    if (injection) {
      const findings = await injection.scan(text, {
        stage: 'input',
        origin: 'tool_definition',
        role: 'system',
      });
      const first = findings.find((f) => f.score >= threshold);
      if (first) return `hidden instructions in the description (${first.type})`;
    }
  }
  return undefined;
}
