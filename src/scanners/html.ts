import { z } from 'zod';
import type { Finding } from '../core/finding.ts';
import type { CheckDefinition, Scanner } from '../core/scanner.ts';
import { checkOptions } from './check-options.ts';

/**
 * HTML and script in answers that a client renders as HTML (OWASP LLM05, improper output
 * handling): a model steered by injected content can write `<script>`, `<img onerror=…>` or a
 * `javascript:` URL, and the page runs it. `redact` neutralises each such tag by writing its
 * opening `<` as `&lt;`, so the browser shows the markup as text; `block` stops the answer.
 * `tags: dangerous` (the default) neutralises script-capable markup only; `tags: all` every tag.
 * Enable it only for clients that render answers as HTML: markdown-only clients escape HTML anyway.
 */

const MAX_TAG = 2048;

// A tag name, then attribute text up to the first `>` (quoted `<` included, as browsers read it).
const TAG = /<\/?([a-z][\w:-]{0,31})\b[^>]{0,2048}>/gi;
const DANGEROUS_TAGS = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'meta',
  'link',
  'base',
  'svg',
  'math',
  'template',
  'noscript',
]);
const EVENT_HANDLER = /\son[a-z]{2,32}\s{0,4}=/i;
const SCRIPT_URL = /(?:java|vb)script\s{0,4}:|data\s{0,4}:\s{0,4}text\/html/i;
const SCRIPT_CAPABLE_ATTRIBUTE = /\s(?:srcdoc|formaction|xlink:href)\s{0,4}=/i;

const optionsSchema = checkOptions(['allow', 'block', 'redact']).extend({
  /** `dangerous`: script-capable tags and attributes; `all`: every HTML tag. */
  tags: z.enum(['dangerous', 'all']).default('dangerous'),
});
type HtmlOptions = z.infer<typeof optionsSchema>;

export function createHtmlScanner(options: { tags?: 'dangerous' | 'all' }): Scanner {
  const everyTag = options.tags === 'all';
  const scan = (text: string): Finding[] => {
    if (!text.includes('<')) return [];
    const findings: Finding[] = [];
    for (const m of text.matchAll(TAG)) {
      const name = (m[1] ?? '').toLowerCase();
      const why = DANGEROUS_TAGS.has(name)
        ? `a <${name}> tag`
        : EVENT_HANDLER.test(m[0])
          ? 'an event-handler attribute'
          : SCRIPT_URL.test(m[0]) || SCRIPT_CAPABLE_ATTRIBUTE.test(m[0])
            ? 'a script URL'
            : everyTag
              ? 'an HTML tag'
              : undefined;
      if (why === undefined) continue;
      findings.push({
        type: everyTag && why === 'an HTML tag' ? 'html.tag' : 'html.script',
        entity: 'HTML',
        start: m.index,
        end: m.index + 1,
        score: why === 'an HTML tag' ? 0.5 : 0.9,
        reason: `The answer contains ${why}, which runs when rendered as HTML.`,
        redaction: '&lt;',
        details: { tag: name },
      });
    }
    return findings;
  };
  return {
    id: 'output.html',
    maxFindingLength: MAX_TAG + 64,
    scan,
    // An unclosed tag at the end may still gain a dangerous attribute.
    pendingStart(text) {
      const at = text.lastIndexOf('<');
      return at >= 0 && text.indexOf('>', at) < 0 && text.length - at <= MAX_TAG + 64 ? at : text.length;
    },
  };
}

export const html: CheckDefinition<HtmlOptions> = {
  key: 'html',
  stage: 'output',
  owasp: 'LLM05',
  summary:
    'HTML/script in answers rendered as HTML: `redact` neutralises script-capable tags (or every tag with `tags: all`) by escaping their `<`.',
  defaultOrigins: ['assistant'],
  actions: ['allow', 'block', 'redact'],
  options: optionsSchema,
  create: (o) => createHtmlScanner(o),
};
