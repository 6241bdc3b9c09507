/**
 * Bounded decoding of payloads embedded in text (base64, base32, hex, binary, Morse code,
 * URL-encoding, HTML entities, ROT13), so that scanners can read what an attacker hid. Bounded in count, size and nesting: decoding is
 * attacker-controlled work.
 */

import { codeUnits } from './code-units.ts';

export type PayloadKind =
  | 'base64'
  | 'base32'
  | 'hex'
  | 'binary'
  | 'morse'
  | 'url-encoding'
  | 'html-entities'
  | 'unicode-escapes'
  | 'rot13';

export interface Payload {
  readonly kind: PayloadKind;
  /** Span of the encoded segment in the text that was searched. */
  readonly start: number;
  readonly end: number;
  /** The decoded text. */
  readonly text: string;
}

export interface DecodeLimits {
  /** Most payloads returned per text. */
  readonly maxPayloads: number;
  /** Most decoded characters in total. */
  readonly maxDecodedChars: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxPayloads: 16, maxDecodedChars: 65536 };

const BASE64 = /(?<![\w+/])[a-z0-9+/]{16,}={0,2}(?![\w+/=])|(?<![\w-])[\w-]{24,}(?![\w-])/gi;
const BASE32 = /(?<![A-Z2-7])[A-Z2-7]{16,}={0,6}(?![\w=])/g;
const HEX = /(?<![0-9a-f])(?:[0-9a-f]{2}){8,}(?![0-9a-f])|(?:\\x[0-9a-f]{2}){4,}/gi;
// The spaced dumps that tools print ("61 63 63 …"); found through `hexDumpRegions`.
const HEX_DUMP = /(?<![\w:-])[0-9a-f]{2}(?:[ :-][0-9a-f]{2}){7,}(?![\w:-])/gi;
// Eight-bit groups, spaced or not: six characters at least.
const BINARY = /(?<![01])[01]{8}(?:[ ,]?[01]{8}){5,}(?![01])/g;
// Morse letters apart by spaces, words by a slash, a bar or three spaces: eight letters at least.
const MORSE = /(?<![\w.-])[.-]{1,7}(?:(?: {1,3}| ?[/|] ?)[.-]{1,7}){7,}(?![\w.-])/g;
const URL_ENCODED = /(?:%[0-9a-f]{2}[\w.~-]{0,3}){4,}/gi;
const HTML_ENTITIES = /(?:&(?:#\d{2,7}|#x[0-9a-f]{2,6}|[a-z]{2,8});[^&<\n]{0,2}){4,}/gi;
// JavaScript/JSON escapes of a whole phrase: "\u0049\u0067\u006e…", six or more in a row.
const UNICODE_ESCAPES = /(?:\\u(?:[\da-f]{4}|\{[\da-f]{2,6}\})){6,}/gi;
// A run of Latin words long enough that ROT13 can be told apart from ordinary text.
const LATIN_RUN = /[a-z][a-z ,.'!?:;-]{23,}/gi;

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  sol: '/',
  colon: ':',
  lpar: '(',
  rpar: ')',
};

// Common English words; ROT13 text has almost none, its decoding many.
const COMMON =
  /\b(?:the|you|your|and|to|of|is|are|all|ignore|instructions?|previous|prompt|system|say|tell|me|now|please|what|with|for|this|that|it|a|an|in|on|not|do|be|print|reveal|password|secret)\b/gi;

/** Share of characters a reader would accept as text: letters, digits, punctuation, spaces. */
function readable(s: string): boolean {
  if (s.length < 4) return false;
  let good = 0;
  let letters = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0xfffd) return false;
    if ((cp >= 0x20 && cp < 0x7f) || cp === 10 || cp === 13 || cp === 9 || cp >= 0xa0) good++;
    if (/\p{L}/u.test(ch)) letters++;
  }
  return good / s.length >= 0.95 && letters / s.length >= 0.5 && /\s/.test(s);
}

function decodeBase64(s: string): string | undefined {
  // Identifiers and hashes look like base64 too; real encodings of text mix cases and digits.
  if (!/[a-z]/.test(s) || !/[A-Z]/.test(s)) return undefined;
  const decoded = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  return readable(decoded) ? decoded : undefined;
}

function decodeHex(s: string): string | undefined {
  const digits = s.replace(/\\x|[ :-]/gi, '');
  const decoded = Buffer.from(digits, 'hex').toString('utf8');
  return readable(decoded) ? decoded : undefined;
}

// RFC 4648 base32 (upper case, digits 2–7): Buffer has no decoder for it.
const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function decodeBase32(s: string): string | undefined {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of s.replace(/=/g, '')) {
    value = (value << 5) | BASE32_ALPHABET.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >>> bits) & 0xff);
    }
  }
  const decoded = Buffer.from(bytes).toString('utf8');
  return readable(decoded) ? decoded : undefined;
}

function decodeBinary(s: string): string | undefined {
  const groups = s.replace(/[ ,]/g, '').match(/[01]{8}/g) ?? [];
  const decoded = Buffer.from(groups.map((g) => parseInt(g, 2))).toString('utf8');
  return readable(decoded) ? decoded : undefined;
}

// International Morse code, "letter code" pairs: letters, digits and the common punctuation.
const MORSE_PAIRS = `a .- b -... c -.-. d -.. e . f ..-. g --. h .... i .. j .--- k -.- l .-.. m --
  n -. o --- p .--. q --.- r .-. s ... t - u ..- v ...- w .-- x -..- y -.-- z --.. 0 ----- 1 .----
  2 ..--- 3 ...-- 4 ....- 5 ..... 6 -.... 7 --... 8 ---.. 9 ----. . .-.-.- , --..-- ? ..--..
  ' .----. ! -.-.-- : ---... " .-..-. = -...- - -....- @ .--.-.`;
const MORSE_TOKENS = MORSE_PAIRS.trim().split(/\s+/);
const MORSE_LETTERS: ReadonlyMap<string, string> = new Map(
  MORSE_TOKENS.flatMap((letter, i) => (i % 2 === 0 ? [[letter, MORSE_TOKENS[i + 1] ?? '']] : [])),
);
const MORSE_CODE: ReadonlyMap<string, string> = new Map(
  [...MORSE_LETTERS].map(([letter, code]) => [code, letter]),
);

/** Text in Morse code: letters apart by spaces, words by " / "; other characters are dropped. */
export function toMorse(s: string): string {
  return s
    .toLowerCase()
    .split(/\s+/)
    .map((word) =>
      Array.from(word, (c) => MORSE_LETTERS.get(c) ?? '')
        .filter((code) => code !== '')
        .join(' '),
    )
    .filter((word) => word !== '')
    .join(' / ');
}

function decodeMorse(s: string): string | undefined {
  const words = s.split(/ ?[/|] ?| {3}/);
  let decoded = '';
  for (const word of words) {
    for (const code of word.trim().split(/ +/)) {
      if (code === '') continue;
      const letter = MORSE_CODE.get(code);
      if (letter === undefined) return undefined;
      decoded += letter;
    }
    decoded += ' ';
  }
  decoded = decoded.trimEnd();
  return readable(decoded) ? decoded : undefined;
}

function decodeUrl(s: string): string | undefined {
  try {
    const decoded = decodeURIComponent(s.replace(/\+/g, ' '));
    return readable(decoded) ? decoded : undefined;
  } catch {
    return undefined;
  }
}

function decodeEntities(s: string): string | undefined {
  const decoded = s.replace(/&(#\d{2,7}|#x[0-9a-f]{2,6}|[a-z]{2,8});/gi, (whole, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X'))
      return safeCodePoint(parseInt(body.slice(2), 16), whole);
    if (body.startsWith('#')) return safeCodePoint(parseInt(body.slice(1), 10), whole);
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
  return decoded !== s && readable(decoded) ? decoded : undefined;
}

function decodeUnicodeEscapes(s: string): string | undefined {
  const decoded = s.replace(
    /\\u(?:([\da-f]{4})|\{([\da-f]{2,6})\})/gi,
    (whole, four?: string, braced?: string) => safeCodePoint(parseInt(four ?? braced ?? '', 16), whole),
  );
  return readable(decoded) ? decoded : undefined;
}

function safeCodePoint(cp: number, fallback: string): string {
  return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : fallback;
}

export function rot13(s: string): string {
  return s.replace(/[a-z]/gi, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

function commonWords(s: string): number {
  return s.match(COMMON)?.length ?? 0;
}

function decodeRot13(s: string): string | undefined {
  const words = s.split(/\s+/).length;
  if (words < 4) return undefined;
  const before = commonWords(s);
  if (before * 6 > words) return undefined;
  const decoded = rot13(s);
  const after = commonWords(decoded);
  return after * 3 >= words && after >= 3 ? decoded : undefined;
}

/** Words ROT13 English almost always holds ("the", "and", "you", "your", "all", …), encoded. */
export const ROT13_WORDS: readonly string[] = [
  'gur',
  'naq',
  'lbh',
  'lbhe',
  'nyy',
  'jvgu',
  'guvf',
  'gung',
  'cyrnfr',
  'vafgehpgvbaf',
];
const ROT13_HINT = new RegExp(`\\b(?:${ROT13_WORDS.join('|')})\\b`, 'i');

/** What a caller that has already scanned the text's words can tell the decoders. */
export interface DecodeHints {
  /**
   * False when none of `ROT13_WORDS` occurs as a whole word (between `\\b` boundaries): the
   * ROT13 decoder then skips its own scan for them.
   */
  readonly rot13Words: boolean;
}

const URL_HINT = /%[\da-f]{2}/i;
const ENTITY_HINT = /&#?\w{2,8};/;

const DECODERS: readonly {
  kind: PayloadKind;
  pattern: RegExp;
  hint: RegExp | ((runs: Runs, text: string, hints: DecodeHints | undefined) => boolean);
  decode: (s: string) => string | undefined;
  /** Where a match can lie, when known: the pattern then scans only these spans. */
  regions?: (runs: Runs, text: string) => readonly (readonly [number, number])[] | undefined;
}[] = [
  {
    kind: 'base64',
    pattern: BASE64,
    hint: (runs) => runs.base64 > 0,
    decode: decodeBase64,
    regions: (runs) => runs.base64Regions,
  },
  {
    kind: 'base32',
    pattern: BASE32,
    hint: (runs) => runs.base32Regions === undefined || runs.base32Regions.length > 0,
    decode: decodeBase32,
    regions: (runs) => runs.base32Regions,
  },
  {
    kind: 'hex',
    pattern: HEX,
    hint: (runs, text) => runs.hex > 0 || text.includes('\\x'),
    decode: decodeHex,
  },
  {
    kind: 'hex',
    pattern: HEX_DUMP,
    // "20 ", not " 20 ": a search for a string that starts with a space is slow (spaces are
    // everywhere), one that starts with a digit is not.
    hint: (_, text) => text.includes('20 '),
    decode: decodeHex,
    regions: (_, text) => hexDumpRegions(text),
  },
  // Letters are 0100xxxx or 0110xxxx.
  {
    kind: 'binary',
    pattern: BINARY,
    hint: (_, text) => text.includes('0110') || text.includes('0100'),
    decode: decodeBinary,
  },
  {
    kind: 'morse',
    pattern: MORSE,
    // Eight letters of Morse code nearly always hold a dot before a dash (a, l, p, r, w, c, k …).
    hint: (_, text) => text.includes('.-'),
    decode: decodeMorse,
  },
  // `includes` first: a memchr-fast test that rules out most texts before a regex scan.
  {
    kind: 'url-encoding',
    pattern: URL_ENCODED,
    hint: (_, text) => text.includes('%') && URL_HINT.test(text),
    decode: decodeUrl,
  },
  {
    kind: 'html-entities',
    pattern: HTML_ENTITIES,
    hint: (_, text) => text.includes('&') && ENTITY_HINT.test(text),
    decode: decodeEntities,
  },
  {
    kind: 'unicode-escapes',
    pattern: UNICODE_ESCAPES,
    hint: (_, text) => text.includes('\\u'),
    decode: decodeUnicodeEscapes,
  },
  // ROT13 English almost always holds one of these ("the", "and", "you", "your", "all", …).
  {
    kind: 'rot13',
    pattern: LATIN_RUN,
    hint: (_, text, hints) => hints?.rot13Words !== false && ROT13_HINT.test(text),
    decode: decodeRot13,
  },
];

// Four digit pairs around a space pair, " 20 ": how a spaced dump of text looks.
const DUMP_AROUND_SPACE = /(?:[\da-f]{2}[ :-]){3}[\da-f]{2}/iy;
const MIN_DUMP_CHARACTERS = 23; // eight digit pairs and their separators

/** A hex digit (the run table's `HEX_DIGIT`), or a space, colon or dash between pairs. */
function isDumpCharacter(code: number): boolean {
  return (
    (code < 128 && ((RUN_CLASS[code] ?? 0) & HEX_DIGIT) !== 0) || code === 32 || code === 58 || code === 45
  );
}

/**
 * Where spaced hex dumps of text lie. A dump of text holds the space as " 20 "; prose holds " 20 "
 * too ("page 20 of"), so only where digit pairs surround one is the dump's extent taken (digits,
 * letters a–f, spaces, colons, dashes), and only a long enough one is scanned by the pattern.
 */
function hexDumpRegions(text: string): (readonly [number, number])[] {
  const regions: [number, number][] = [];
  // Each search starts past the last one, so the loop reads the text once.
  let at = text.indexOf('20 ') - 1;
  while (at >= 0 && regions.length < MAX_REGIONS) {
    if (text.charCodeAt(at) !== 32) {
      at = text.indexOf('20 ', at + 2) - 1;
      continue;
    }
    const dump = [at - 8, at - 5, at - 2, at + 1].some((from) => {
      DUMP_AROUND_SPACE.lastIndex = Math.max(0, from);
      return DUMP_AROUND_SPACE.test(text);
    });
    // Past this "20 " when it is no dump, past the dump when it is one.
    let end = at + 2;
    if (dump) {
      let start = at;
      while (start > 0 && isDumpCharacter(text.charCodeAt(start - 1))) start--;
      while (end < text.length && isDumpCharacter(text.charCodeAt(end))) end++;
      // One character either side, for the pattern's look-arounds.
      if (end - start >= MIN_DUMP_CHARACTERS)
        regions.push([Math.max(0, start - 1), Math.min(text.length, end + 1)]);
    }
    at = text.indexOf('20 ', end) - 1;
  }
  return regions;
}

/** Shortest base64 or hex run the decoders look at (the patterns want 16 characters or more). */
const LONG_RUN = 16;

interface Runs {
  /**
   * Longest run of base64/base64url characters that mixes upper- and lower-case letters, as
   * encoded text always does (long lower-case slugs and identifiers do not); 0 when no such run
   * is `LONG_RUN` long.
   */
  readonly base64: number;
  /**
   * Those runs (at least `LONG_RUN` long, mixed case), each with the `=` padding after it;
   * undefined when there are too many to list (then the whole text is scanned). A base64 match
   * that decodes lies inside one: the pattern's characters are the run's, and the decoder wants
   * mixed case.
   */
  readonly base64Regions: readonly (readonly [number, number])[] | undefined;
  /** Longest run of hex digits; 0 when none is `LONG_RUN` long. */
  readonly hex: number;
  /**
   * The runs of upper-case letters and digits (base32's alphabet is in them) at least `LONG_RUN`
   * long, each with its `=` padding; undefined when there are too many to list.
   */
  readonly base32Regions: readonly (readonly [number, number])[] | undefined;
}

/** Most base64-like runs listed before scanning the whole text instead. */
const MAX_REGIONS = 64;

// Per ASCII code: which runs it continues. Every non-ASCII code ends all of them.
const BASE64_CHAR = 1;
const LOWER_CASE = 2;
const UPPER_CASE = 4;
const HEX_DIGIT = 8;
const MIXED_CASE = LOWER_CASE | UPPER_CASE;
const RUN_CLASS = Uint8Array.from({ length: 128 }, (_, code) => {
  const lower = code >= 97 && code <= 122;
  const upper = code >= 65 && code <= 90;
  const digit = code >= 48 && code <= 57;
  // Letters, digits and `+/-_` (base64 and base64url).
  const base64 = lower || upper || digit || code === 43 || code === 47 || code === 45 || code === 95;
  const hex = digit || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
  return (
    (base64 ? BASE64_CHAR : 0) | (lower ? LOWER_CASE : 0) | (upper ? UPPER_CASE : 0) | (hex ? HEX_DIGIT : 0)
  );
});

function runClass(units: Uint16Array, i: number): number {
  const c = units[i] ?? 0;
  return c < 128 ? (RUN_CLASS[c] ?? 0) : 0;
}

/**
 * The base64 runs and hex-digit runs at least `LONG_RUN` long. Every such run holds one of the
 * positions `LONG_RUN - 1`, `2 * LONG_RUN - 1`, …, so only the base64 runs through those positions
 * are measured: prose is read about half as often as by a scan of every character.
 */
function longRuns(text: string): Runs {
  let bestBase64 = 0;
  let bestHex = 0;
  let base64Regions: [number, number][] | undefined = [];
  let base32Regions: [number, number][] | undefined = [];
  const n = text.length;
  const units = codeUnits(text);
  // The run with its `=` padding and one character more, for the patterns' look-aheads.
  const region = (start: number, end: number): [number, number] => {
    let padded = end;
    while (padded < n && units[padded] === 61) padded++;
    return [start, Math.min(n, padded + 1)];
  };
  let probe = LONG_RUN - 1;
  while (probe < n) {
    if ((runClass(units, probe) & BASE64_CHAR) === 0) {
      probe += LONG_RUN;
      continue;
    }
    let start = probe;
    while (start > 0 && (runClass(units, start - 1) & BASE64_CHAR) !== 0) start--;
    let end = probe + 1;
    while (end < n && (runClass(units, end) & BASE64_CHAR) !== 0) end++;
    if (end - start >= LONG_RUN) {
      let cases = 0;
      let hex = 0;
      for (let i = start; i < end; i++) {
        const cls = runClass(units, i);
        cases |= cls;
        hex = (cls & HEX_DIGIT) !== 0 ? hex + 1 : 0;
        bestHex = Math.max(bestHex, hex);
      }
      if ((cases & MIXED_CASE) === UPPER_CASE && base32Regions !== undefined) {
        base32Regions.push(region(start, end));
        if (base32Regions.length > MAX_REGIONS) base32Regions = undefined;
      }
      if ((cases & MIXED_CASE) === MIXED_CASE) {
        bestBase64 = Math.max(bestBase64, end - start);
        if (base64Regions !== undefined) {
          base64Regions.push(region(start, end));
          if (base64Regions.length > MAX_REGIONS) base64Regions = undefined;
        }
      }
    }
    // The next probe position past this run (`end` itself holds no base64 character; LONG_RUN is
    // a power of two).
    probe = end | (LONG_RUN - 1);
  }
  return {
    base64: bestBase64,
    base64Regions,
    hex: bestHex >= LONG_RUN ? bestHex : 0,
    base32Regions,
  };
}

/**
 * Encoded segments of `text` that decode to readable text, in order of position. Nested
 * encodings are not followed here; the caller scans each payload and may decode it again.
 */
export function decodedPayloads(
  text: string,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
  hints?: DecodeHints,
): Payload[] {
  const found: Payload[] = [];
  let budget = limits.maxDecodedChars;
  const runs = longRuns(text);
  for (const { kind, pattern, hint, decode, regions } of DECODERS) {
    // A cheap test first: most texts hold no encoded segment at all.
    if (!(typeof hint === 'function' ? hint(runs, text, hints) : hint.test(text))) continue;
    for (const [from, to] of regions?.(runs, text) ?? [[0, text.length] as const]) {
      // A region is cut so that its edges are what the pattern's look-arounds expect there.
      const scanned = from === 0 && to === text.length ? text : text.slice(from, to);
      for (const m of scanned.matchAll(pattern)) {
        if (found.length >= limits.maxPayloads || budget <= 0) break;
        const decoded = decode(m[0]);
        if (decoded === undefined) continue;
        const clipped = decoded.slice(0, budget);
        budget -= clipped.length;
        found.push({ kind, start: from + m.index, end: from + m.index + m[0].length, text: clipped });
      }
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
