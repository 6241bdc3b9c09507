/**
 * De-obfuscation shared by every scanner: undo the tricks attackers use to slip text past
 * pattern matching (invisible characters, homoglyphs, fullwidth forms, spaced-out letters,
 * leetspeak, combining-mark noise), while remembering where each output character came from so
 * findings point into the ORIGINAL text.
 */

import { codeUnits } from './code-units.ts';
import { isLetterCode } from './letters.ts';

/** The names a transformation is reported under in findings. */
export type TransformKind =
  | 'unicode-compatibility'
  | 'invisible-characters'
  | 'tag-characters'
  | 'combining-marks'
  | 'confusables'
  | 'spaced-letters'
  | 'leetspeak';

export interface Transform {
  readonly kind: TransformKind;
  /** How many places in the text this transformation changed. */
  readonly count: number;
  /** Span in the original text covering every change of this kind. */
  readonly start: number;
  readonly end: number;
}

export interface Normalized {
  readonly text: string;
  /** Original offset of the character at `offset` in `text` (an end offset maps to an end offset). */
  map(offset: number): number;
  /** Original span covering `text.slice(start, end)`. */
  span(start: number, end: number): { start: number; end: number };
  readonly transforms: readonly Transform[];
}

// Zero-width, joiners, bidi controls, word joiner/invisible operators, BOM, soft hyphen, CGJ,
// Mongolian vowel separator, variation selectors: none changes what a model reads, all break regexes.
function isInvisible(cp: number): boolean {
  return (
    cp === 0xad ||
    cp === 0x34f ||
    cp === 0x180e ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2064) ||
    (cp >= 0x2066 && cp <= 0x206f) ||
    cp === 0xfeff ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  );
}

// Combining diacritics used for "zalgo" noise; scripts whose vowels are marks (Devanagari, Thai,
// Arabic harakat) live in other blocks and are left alone.
function isDiacriticNoise(cp: number): boolean {
  return (
    (cp >= 0x300 && cp <= 0x36f) ||
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x1dc0 && cp <= 0x1dff) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe20 && cp <= 0xfe2f)
  );
}

// Cyrillic and Greek letters that render like Latin ones (Unicode TR39 confusables, the common
// subset). Folded only inside words that also hold Latin letters, so Russian and Greek text stays.
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ј: 'j',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  ɡ: 'g',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  У: 'Y',
  Х: 'X',
  Ѕ: 'S',
  І: 'I',
  Ј: 'J',
  α: 'a',
  ο: 'o',
  ρ: 'p',
  ν: 'v',
  τ: 't',
  ι: 'i',
  κ: 'k',
  υ: 'u',
  ε: 'e',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
};

const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};

const LATIN_LETTER = /[a-z]/i;
const NOT_LEET = /^\p{L}+\d+$|^\d+(?:st|nd|rd|th|px|pt|em|kb|mb|gb|ms|am|pm|[dhkmsx])$/iu;
// Four or more single letters separated by one separator: "i g n o r e", "p.r.o.m.p.t".
const SPACED = /(?<![\p{L}\p{N}])\p{L}(?:[ ._*-]\p{L}){3,}(?![\p{L}\p{N}])/gu;

// Cheap hints, found in one pass over char codes before the Unicode-aware passes run.
const HINT_NON_ASCII = 1;
/** An ASCII letter touching a leet symbol (a digit, `$`, `@`). */
const HINT_LEET = 2;
/** Three single ASCII letters separated by one of ` *._-` ("i g n", "p.r.o"), no letter or digit around. */
const HINT_SPACED = 4;
/** A Greek or Cyrillic code unit (what `GREEK_OR_CYRILLIC` finds). */
const HINT_GREEK_OR_CYRILLIC = 8;

// Per ASCII code: a spacing class in the low two bits (0 other, 1 letter, 2 separator, 3 digit)
// and a leet class above them (1 letter, 2 leet symbol). Non-ASCII codes are class 0.
const OTHER = 0;
const LETTER_CLASS = 1;
const SEPARATOR_CLASS = 2;
const DIGIT_CLASS = 3;
const LEET_LETTER = 1 << 2;
const LEET_SYMBOL = 2 << 2;
const ASCII_CLASS = Uint8Array.from({ length: 128 }, (_, code) => {
  if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) return LETTER_CLASS | LEET_LETTER;
  if (code >= 48 && code <= 57) return DIGIT_CLASS | LEET_SYMBOL;
  if (code === 36 || code === 64) return OTHER | LEET_SYMBOL;
  if (code === 32 || code === 42 || code === 46 || code === 95 || code === 45) return SEPARATOR_CLASS;
  return OTHER;
});
// The spacing classes of the last seven characters, two bits each (newest lowest): a spaced hint
// is a letter, separator, letter, separator, letter with neither neighbour a letter or digit
// (classes 1 and 3, the ones with the low bit set).
const SPACED_MASK = 0b01_11_11_11_11_11_01;
const SPACED_SHAPE = 0b00_01_10_01_10_01_00;

/** The `HINT_*` bits of `text`: one pass instead of four regex scans. */
function hintsOf(text: string): number {
  let hints = 0;
  let spacing = 0;
  let previousLeet = 0;
  const n = text.length;
  const units = codeUnits(text);
  // One step past the end, an `OTHER` character (`codeUnits` leaves room for it): a spaced run
  // may end the text, and the loop needs no end test per character.
  units[n] = 0;
  for (let i = 0; i <= n; i++) {
    const code = units[i] ?? 0;
    let cls = OTHER;
    if (code < 128) cls = ASCII_CLASS[code] ?? OTHER;
    else hints |= code >= 0x370 && code <= 0x52f ? HINT_NON_ASCII | HINT_GREEK_OR_CYRILLIC : HINT_NON_ASCII;
    const leet = cls >> 2;
    // Letter then symbol or symbol then letter: the two leet classes are 1 and 2.
    if ((leet ^ previousLeet) === 3) hints |= HINT_LEET;
    previousLeet = leet;
    spacing = ((spacing << 2) | (cls & 3)) & 0x3fff;
    if ((spacing & SPACED_MASK) === SPACED_SHAPE) hints |= HINT_SPACED;
  }
  return hints;
}

class Tally {
  private readonly counts = new Map<TransformKind, { count: number; start: number; end: number }>();
  add(kind: TransformKind, start: number, end: number): void {
    const t = this.counts.get(kind);
    if (t === undefined) this.counts.set(kind, { count: 1, start, end });
    else {
      t.count += 1;
      t.start = Math.min(t.start, start);
      t.end = Math.max(t.end, end);
    }
  }
  list(): Transform[] {
    return [...this.counts].map(([kind, t]) => ({ kind, ...t }));
  }
}

const nfkcCache = new Map<number, string>();
function nfkc(cp: number): string {
  let s = nfkcCache.get(cp);
  if (s === undefined) {
    s = String.fromCodePoint(cp).normalize('NFKC');
    if (nfkcCache.size < 65536) nfkcCache.set(cp, s);
  }
  return s;
}

const IDENTITY: Omit<Normalized, 'text'> = {
  map: (offset) => offset,
  span: (start, end) => ({ start, end }),
  transforms: [],
};

const NON_ASCII_AT = /[^\0-\x7f]/g;
const GREEK_OR_CYRILLIC = /[\u0370-\u052f]/;

/**
 * One rewriting step as piecewise offsets: output `[outStart[i], next outStart)` came from source
 * `[srcStart[i], srcEnd[i])`. Copied runs map character by character; replaced pieces map as a
 * whole. A handful of pieces per edit instead of an array per character keeps long texts cheap.
 */
class Layer {
  readonly outStart: number[] = [];
  readonly srcStart: number[] = [];
  readonly srcEnd: number[] = [];
  readonly copied: boolean[] = [];
  readonly parts: string[] = [];
  length = 0;

  copy(source: string, from: number, to: number): void {
    if (to <= from) return;
    this.piece(source.slice(from, to), from, to, true);
  }

  replace(text: string, from: number, to: number): void {
    if (text.length === 0) return;
    this.piece(text, from, to, false);
  }

  private piece(text: string, from: number, to: number, copied: boolean): void {
    this.outStart.push(this.length);
    this.srcStart.push(from);
    this.srcEnd.push(to);
    this.copied.push(copied);
    this.parts.push(text);
    this.length += text.length;
  }

  private find(offset: number): number {
    let lo = 0;
    let hi = this.outStart.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.outStart[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Source offset where the output character at `offset` starts. */
  start(offset: number, sourceLength: number): number {
    if (offset >= this.length || this.outStart.length === 0) return sourceLength;
    const i = this.find(offset);
    const from = this.srcStart[i] ?? 0;
    return this.copied[i] === true ? from + offset - (this.outStart[i] ?? 0) : from;
  }

  /** Source offset where the output ending at `end` (exclusive) ends. */
  end(end: number, sourceLength: number): number {
    if (end <= 0) return 0;
    if (end > this.length) return sourceLength;
    const i = this.find(end - 1);
    return this.copied[i] === true
      ? (this.srcStart[i] ?? 0) + end - (this.outStart[i] ?? 0)
      : (this.srcEnd[i] ?? 0);
  }

  text(): string {
    return this.parts.join('');
  }
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly replacement: string;
}

function applyEdits(
  source: string,
  edits: readonly Edit[],
  kind: TransformKind,
  tally: Tally,
  origin: (o: number) => number,
): Layer {
  const layer = new Layer();
  let at = 0;
  for (const e of edits) {
    layer.copy(source, at, e.start);
    layer.replace(e.replacement, e.start, e.end);
    tally.add(kind, origin(e.start), origin(e.end));
    at = e.end;
  }
  layer.copy(source, at, source.length);
  return layer;
}

/** Normalise `text` for detection. Plain ASCII prose without tricks is returned as is, cheaply. */
export function normalize(text: string): Normalized {
  const hints = hintsOf(text);
  if (hints === 0) return { text, ...IDENTITY };
  const tally = new Tally();
  // Layers from the original outwards; each maps its output to the previous layer's output.
  const layers: { layer: Layer; sourceLength: number }[] = [];
  let current = text;
  const toOriginal = (o: number): number => {
    let x = o;
    for (let i = layers.length - 1; i >= 0; i--) {
      const l = layers[i];
      if (l !== undefined) x = l.layer.start(x, l.sourceLength);
    }
    return x;
  };
  const push = (layer: Layer): void => {
    layers.push({ layer, sourceLength: current.length });
    current = layer.text();
  };
  if ((hints & HINT_GREEK_OR_CYRILLIC) !== 0 || ((hints & HINT_NON_ASCII) !== 0 && unicodeChanges(text))) {
    push(unicodePass(text, tally));
    if (GREEK_OR_CYRILLIC.test(current)) current = foldConfusables(current, tally, toOriginal);
  }
  // ASCII text only changes when a spaced-out or leet word is really there.
  // Hints of the text as it now stands (the Unicode pass and the spacing edits change it).
  let currentHints = current === text ? hints : hintsOf(current);
  const spaced = (currentHints & HINT_SPACED) !== 0 ? spacedEdits(current) : [];
  if (spaced.length > 0) {
    push(applyEdits(current, spaced, 'spaced-letters', tally, toOriginal));
    currentHints = hintsOf(current);
  }
  const leet = (currentHints & HINT_LEET) !== 0 ? leetEdits(current) : [];
  if (leet.length > 0) push(applyEdits(current, leet, 'leetspeak', tally, toOriginal));
  if (layers.length === 0 && current === text) return { text, ...IDENTITY };
  const originalLength = text.length;
  const mapStart = (o: number): number => {
    let x = o;
    for (let i = layers.length - 1; i >= 0; i--) {
      const l = layers[i];
      if (l !== undefined) x = l.layer.start(x, l.sourceLength);
    }
    return Math.min(x, originalLength);
  };
  const mapEnd = (o: number): number => {
    let x = o;
    for (let i = layers.length - 1; i >= 0; i--) {
      const l = layers[i];
      if (l !== undefined) x = l.layer.end(x, l.sourceLength);
    }
    return Math.min(x, originalLength);
  };
  return {
    text: current,
    map: mapStart,
    span: (start, end) => ({ start: mapStart(start), end: Math.max(mapStart(start), mapEnd(end)) }),
    transforms: tally.list(),
  };
}

const NON_ASCII_RUN = /[^\0-\x7f]+/g;
const changesCache = new Map<number, boolean>();

function changes(cp: number): boolean {
  let v = changesCache.get(cp);
  if (v === undefined) {
    v =
      isInvisible(cp) ||
      isDiacriticNoise(cp) ||
      (cp >= 0xe0000 && cp <= 0xe007f) ||
      nfkc(cp) !== String.fromCodePoint(cp);
    if (changesCache.size < 65536) changesCache.set(cp, v);
  }
  return v;
}

/** True when some non-ASCII character would be removed or rewritten (most, like "é" or "中", are not). */
function unicodeChanges(text: string): boolean {
  // The regex engine skips the ASCII between runs faster than a loop over the code units, and
  // `exec` on the pattern itself spares the copy of it `matchAll` makes.
  NON_ASCII_RUN.lastIndex = 0;
  for (let m = NON_ASCII_RUN.exec(text); m !== null; m = NON_ASCII_RUN.exec(text)) {
    const end = m.index + m[0].length;
    for (let i = m.index; i < end; i++) {
      // A surrogate pair is one character: its code point, then past its second half.
      const cp = text.codePointAt(i) ?? 0;
      if (changes(cp)) return true;
      if (cp > 0xffff) i++;
    }
  }
  return false;
}

/** Invisible, tag, compatibility and combining-mark characters; everything else is copied in runs. */
function unicodePass(text: string, tally: Tally): Layer {
  const layer = new Layer();
  let copyFrom = 0;
  NON_ASCII_AT.lastIndex = 0;
  for (let m = NON_ASCII_AT.exec(text); m !== null; m = NON_ASCII_AT.exec(text)) {
    const i = m.index;
    const cp = text.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    const end = i + width;
    NON_ASCII_AT.lastIndex = end;
    if (!changes(cp)) continue;
    const ch = text.slice(i, end);
    layer.copy(text, copyFrom, i);
    copyFrom = end;
    if (cp >= 0xe0020 && cp <= 0xe007e) {
      // Unicode tag characters spell invisible ASCII ("ASCII smuggling"): make it visible.
      layer.replace(String.fromCharCode(cp - 0xe0000), i, end);
      tally.add('tag-characters', i, end);
    } else if (isInvisible(cp) || (cp >= 0xe0000 && cp <= 0xe007f)) tally.add('invisible-characters', i, end);
    else if (isDiacriticNoise(cp)) tally.add('combining-marks', i, end);
    else {
      // NFKC may decompose into base + combining mark; keep only the base for noise marks.
      let kept = '';
      for (const c of nfkc(cp)) if (!isDiacriticNoise(c.codePointAt(0) ?? 0)) kept += c;
      if (ch.normalize('NFC') !== kept) tally.add('unicode-compatibility', i, end);
      layer.replace(kept, i, end);
    }
  }
  layer.copy(text, copyFrom, text.length);
  return layer;
}

const GREEK_OR_CYRILLIC_AT = /[\u0370-\u052f]/g;
/** Start of the code point that ends just before `i`. */
function previousCodePoint(text: string, i: number): number {
  const low = text.charCodeAt(i - 1);
  const high = i >= 2 ? text.charCodeAt(i - 2) : 0;
  return low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff ? i - 2 : i - 1;
}

/**
 * Fold Cyrillic/Greek look-alikes inside words that also hold Latin letters (same length). Only
 * the words (runs of `\p{L}`) around a Greek or Cyrillic letter are read: in a long text of
 * another language, most words hold none.
 */
function foldConfusables(text: string, tally: Tally, origin: (o: number) => number): string {
  const parts: string[] = [];
  let copied = 0;
  GREEK_OR_CYRILLIC_AT.lastIndex = 0;
  for (let m = GREEK_OR_CYRILLIC_AT.exec(text); m !== null; m = GREEK_OR_CYRILLIC_AT.exec(text)) {
    // The word around it: the run of letters, by code point, as `\p{L}+` with the u flag reads it.
    let start = m.index;
    while (start > 0) {
      const before = previousCodePoint(text, start);
      if (!isLetterCode(text.codePointAt(before) ?? 0)) break;
      start = before;
    }
    let end = m.index;
    while (end < text.length) {
      const cp = text.codePointAt(end) ?? 0;
      if (!isLetterCode(cp)) break;
      end += cp > 0xffff ? 2 : 1;
    }
    GREEK_OR_CYRILLIC_AT.lastIndex = end;
    const word = text.slice(start, end);
    if (!LATIN_LETTER.test(word)) continue;
    let folded = '';
    for (const ch of word) folded += CONFUSABLES[ch] ?? ch;
    if (folded === word) continue;
    tally.add('confusables', origin(start), origin(start + word.length - 1) + 1);
    parts.push(text.slice(copied, start), folded);
    copied = end;
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

function spacedEdits(text: string): Edit[] {
  const edits: Edit[] = [];
  for (const m of text.matchAll(SPACED)) {
    // Letters joined by dots or dashes ("f.o.r t.h.e"): a space between them still ends a word.
    const letters = /[._*-]/.test(m[0])
      ? m[0].replace(/[._*-]/g, '').replace(/ +/g, ' ')
      : m[0].replace(/ /g, '');
    // Single-letter list items ("a b c d") are not words; demand a vowel-bearing run.
    if (!/[aeiouy]/i.test(letters) && /[a-z]/i.test(letters)) continue;
    edits.push({ start: m.index, end: m.index + m[0].length, replacement: letters });
  }
  return edits;
}

/**
 * Start of the next ASCII letter and leet symbol side by side, in either order, at or after
 * `from` (what a global `/[a-z][\d$@]|[\d$@][a-z]/i` scan finds there), or -1. `units` holds the
 * text's code units (`codeUnits`), `length` is its length.
 */
function nextLeetHint(units: Uint16Array, length: number, from: number): number {
  let previous = from < length ? leetClass(units[from] ?? 0) : 0;
  for (let i = from + 1; i < length; i++) {
    const current = leetClass(units[i] ?? 0);
    if ((previous ^ current) === 3) return i - 1;
    previous = current;
  }
  return -1;
}

/** 1 for an ASCII letter, 2 for a leet symbol, 0 otherwise. */
function leetClass(code: number): number {
  return code < 128 ? (ASCII_CLASS[code] ?? OTHER) >> 2 : 0;
}

function wordish(text: string, k: number): boolean {
  const c = text.charCodeAt(k);
  if (c < 128) return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 64 || c === 36;
  return isLetterCode(c);
}

/**
 * Whether `text[start, end)` is the local part, "@" and first domain label of an e-mail address
 * ("bob@mail" in "bob@mail.example"): its "@" is not a leet "a", and rules look for the address.
 */
function emailAddressAt(text: string, start: number, end: number): boolean {
  const at = text.indexOf('@', start);
  return at > start && at < end - 1 && text[end] === '.' && /^[a-z]/i.test(text.charAt(end + 1));
}

/** Words mixing letters with leet symbols ("1gn0re", "pr0mpt", "@dmin"), found from cheap hints. */
function leetEdits(text: string): Edit[] {
  const edits: Edit[] = [];
  let done = -1;
  const units = codeUnits(text);
  for (
    let hint = nextLeetHint(units, text.length, 0);
    hint >= 0;
    hint = nextLeetHint(units, text.length, hint + 2)
  ) {
    if (hint < done) continue;
    let start = hint;
    while (start > 0 && wordish(text, start - 1)) start--;
    let end = hint + 2;
    while (end < text.length && wordish(text, end)) end++;
    done = end;
    const word = text.slice(start, end);
    if (word.length < 3 || word.length > 24) continue;
    let symbols = 0;
    let letters = 0;
    for (const ch of word) {
      if (LEET[ch] !== undefined) symbols++;
      else if (isLetterCode(ch.codePointAt(0) ?? 0)) letters++;
    }
    // Identifiers, versions and ordinals ("utf8", "gpt4", "10th") carry one digit group at an
    // end; leet spreads substitutions through the word.
    if (symbols === 0 || letters < 2 || symbols > letters || NOT_LEET.test(word)) continue;
    // "@review-bot", "@maria": a mention, not a leet "a" (content that names an agent by handle).
    if (symbols === 1 && word.startsWith('@')) continue;
    if (emailAddressAt(text, start, end)) continue;
    let replaced = '';
    for (const ch of word) replaced += LEET[ch] ?? ch;
    edits.push({ start, end, replacement: replaced });
  }
  return edits;
}
