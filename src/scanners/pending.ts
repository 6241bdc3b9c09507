import { SECRET_RULES } from './secrets/rules.ts';

/**
 * `Scanner.pendingStart` for token-shaped findings (secrets): where a finding could still be
 * growing at the end of a streamed text, so everything before it can be released at once.
 *
 * A secret finding lies within one whitespace-free token, except a PEM block, which spans lines.
 * So only two things can still grow: an open `-----BEGIN` block, and the trailing token. The
 * trailing token is settled when it cannot be the start of a secret: plain letters (sentence
 * punctuation aside) that begin no rule literal, with no rule literal or key name just before it.
 * That keeps ordinary prose flowing token by token while `ghp_`, `AKIA…`, `sk-`, `password=` and
 * the like are held until they end.
 */

const PEM_BEGIN = '-----BEGIN';
const PEM_END = '-----END';
/** Left context the rules read (secrets.ts reads 64 characters; a margin on top). */
const CONTEXT = 128;
/** Longest token examined; the hold-back bound covers anything longer. */
const MAX_TOKEN = 4096;
/** Words that make a following token a candidate for the context-gated detectors. */
const KEY_WORDS = [
  'pass',
  'pwd',
  'secret',
  'token',
  'key',
  'auth',
  'bearer',
  'basic',
  'credential',
  '-u',
  '://',
];

const LITERALS: readonly string[] = [
  ...new Set([...SECRET_RULES.flatMap((r) => r.prefilter), PEM_BEGIN]),
].filter((l) => l.length > 0);
/** Any rule literal or key name, as one alternation of escaped literals (compiled once). */
const CONTEXT_PATTERN = new RegExp(
  [...new Set([...LITERALS.map((l) => l.toLowerCase()), ...KEY_WORDS])]
    .map((l) => l.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&'))
    .join('|'),
);

export function secretsPendingStart(text: string): number {
  const begin = text.lastIndexOf(PEM_BEGIN);
  if (begin >= 0) {
    // Open until its footer line is complete: `-----END … KEY-----`.
    const end = text.indexOf(PEM_END, begin);
    if (end < 0 || text.indexOf('-----', end + PEM_END.length) < 0) return begin;
  }
  let start = text.length;
  while (start > 0 && text.length - start < MAX_TOKEN && !isSpace(text.charCodeAt(start - 1))) start--;
  if (start === text.length) return start;
  const token = text.slice(start);
  return couldBeSecret(token, text.slice(Math.max(0, start - CONTEXT), start)) ? start : text.length;
}

function couldBeSecret(token: string, before: string): boolean {
  let end = token.length;
  while (end > 0 && isSentencePunctuation(token.charCodeAt(end - 1))) end--;
  for (let i = 0; i < end; i++) if (!isLetter(token.charCodeAt(i))) return true;
  for (const literal of LITERALS) if (literal.startsWith(token) || token.includes(literal)) return true;
  return CONTEXT_PATTERN.test(before.toLowerCase());
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isSentencePunctuation(code: number): boolean {
  // . , ! ? ; : ) ' "
  return (
    code === 46 ||
    code === 44 ||
    code === 33 ||
    code === 63 ||
    code === 59 ||
    code === 58 ||
    code === 41 ||
    code === 39 ||
    code === 34
  );
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13;
}

/**
 * The longest structured PII value (a grouped IBAN is 42 characters, URL credentials a little
 * more) plus the 24 characters of right context that may still change its score, with margin.
 */
const STRUCTURED_PII_TAIL = 256;

/**
 * `Scanner.pendingStart` for the structured PII entities (email, phone, card, IBAN, SSN, IP, URL
 * credentials, crypto, dates of birth): every such value holds a digit, `@` or `:`, and its score
 * reads up to 24 characters after it. So the trailing token (it may become an e-mail or a wallet)
 * and the recent text from the first token with such a character stay pending. Not for the name
 * entities (PERSON, LOCATION, ORGANIZATION): the tagger reads words on both sides and addresses
 * span lines, so those keep the full hold-back.
 */
export function structuredPiiPendingStart(text: string): number {
  let pending = text.length;
  while (pending > 0 && text.length - pending < MAX_TOKEN && !isSpace(text.charCodeAt(pending - 1)))
    pending--;
  for (let i = Math.max(0, text.length - STRUCTURED_PII_TAIL); i < pending; i++) {
    const code = text.charCodeAt(i);
    if ((code >= 48 && code <= 57) || code === 64 /* @ */ || code === 58 /* : */) {
      let start = i;
      while (start > 0 && !isSpace(text.charCodeAt(start - 1))) start--;
      // A value may start with a `+`, `(` or a group of digits one space before.
      return Math.max(0, start - 8);
    }
  }
  return pending;
}
