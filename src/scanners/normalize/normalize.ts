/**
 * De-obfuscation shared by every scanner: undo the tricks attackers use to slip text past
 * pattern matching (invisible characters, homoglyphs, fullwidth forms, spaced-out letters,
 * leetspeak, combining-mark noise), while remembering where each output character came from so
 * findings point into the ORIGINAL text.
 */

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
const LETTER = /\p{L}/u;
// Words mixing letters with leet symbols ("1gn0re", "pr0mpt", "@dmin"); at least two letters.
const LEET_WORD = /(?<![\p{L}\p{N}])(?=\p{L}*[\d@$])[\p{L}\d@$]{3,24}(?![\p{L}\p{N}])/gu;
const NOT_LEET = /^\p{L}+\d+$|^\d+(?:st|nd|rd|th|px|pt|em|kb|mb|gb|ms|am|pm|[dhkmsx])$/iu;
// Four or more single letters separated by one separator: "i g n o r e", "p.r.o.m.p.t".
const SPACED = /(?<![\p{L}\p{N}])\p{L}(?:[ ._*-]\p{L}){3,}(?![\p{L}\p{N}])/gu;
const NEEDS_WORK =
  /[^\t\n\r\x20-\x7e]|\p{L}[\d@$]|[\d@$]\p{L}|(?<![\p{L}\p{N}])\p{L}[ ._*-]\p{L}[ ._*-]\p{L}/u;

interface Builder {
  out: string[];
  starts: number[];
  ends: number[];
}

function push(b: Builder, s: string, start: number, end: number): void {
  for (let i = 0; i < s.length; i++) {
    b.out.push(s.charAt(i));
    b.starts.push(start);
    b.ends.push(end);
  }
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

/** Normalise `text` for detection. Plain ASCII prose without tricks is returned as is, cheaply. */
export function normalize(text: string): Normalized {
  if (!NEEDS_WORK.test(text)) return { text, ...IDENTITY };
  const tally = new Tally();
  const b: Builder = { out: [], starts: [], ends: [] };
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    const end = i + width;
    if (cp < 0x80) push(b, text.charAt(i), i, end);
    else if (cp >= 0xe0020 && cp <= 0xe007e) {
      // Unicode tag characters spell invisible ASCII ("ASCII smuggling"): make it visible.
      push(b, String.fromCharCode(cp - 0xe0000), i, end);
      tally.add('tag-characters', i, end);
    } else if (isInvisible(cp) || (cp >= 0xe0000 && cp <= 0xe007f)) tally.add('invisible-characters', i, end);
    else if (isDiacriticNoise(cp)) tally.add('combining-marks', i, end);
    else {
      const folded = nfkc(cp);
      // NFKC may decompose into base + combining mark; keep only the base for noise marks.
      let kept = '';
      for (const ch of folded) if (!isDiacriticNoise(ch.codePointAt(0) ?? 0)) kept += ch;
      const original = text.slice(i, end);
      if (kept !== original && original.normalize('NFC') !== kept) tally.add('unicode-compatibility', i, end);
      push(b, kept, i, end);
    }
    i = end;
  }
  foldConfusables(b, tally);
  let joined = b.out.join('');
  joined = collapseSpaced(joined, b, tally);
  joined = undoLeet(joined, b, tally);
  const starts = b.starts;
  const ends = b.ends;
  return {
    text: joined,
    map: (offset) => (offset >= starts.length ? text.length : (starts[offset] ?? text.length)),
    span: (start, end) => ({
      start: start >= starts.length ? text.length : (starts[start] ?? text.length),
      end: end <= 0 ? 0 : (ends[Math.min(end, ends.length) - 1] ?? text.length),
    }),
    transforms: tally.list(),
  };
}

function foldConfusables(b: Builder, tally: Tally): void {
  const out = b.out;
  let w = 0;
  while (w < out.length) {
    if (!LETTER.test(out[w] ?? '')) {
      w++;
      continue;
    }
    let e = w;
    let latin = false;
    let confusable = false;
    while (e < out.length && LETTER.test(out[e] ?? '')) {
      const ch = out[e] ?? '';
      if (LATIN_LETTER.test(ch)) latin = true;
      else if (CONFUSABLES[ch] !== undefined) confusable = true;
      e++;
    }
    if (latin && confusable) {
      for (let k = w; k < e; k++) {
        const f = CONFUSABLES[out[k] ?? ''];
        if (f !== undefined) out[k] = f;
      }
      tally.add('confusables', b.starts[w] ?? 0, b.ends[e - 1] ?? 0);
    }
    w = e;
  }
}

/** Rebuild the builder keeping only output positions for which `keep` is true. */
function rebuild(
  b: Builder,
  text: string,
  edits: { start: number; end: number; replacement: string }[],
): string {
  if (edits.length === 0) return text;
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const e of edits) {
    for (let k = at; k < e.start; k++) {
      out.push(b.out[k] ?? '');
      starts.push(b.starts[k] ?? 0);
      ends.push(b.ends[k] ?? 0);
    }
    // Each replacement character keeps the origin of the source character it came from.
    const sources = e.end - e.start;
    for (let r = 0; r < e.replacement.length; r++) {
      const k = e.start + Math.min(sources - 1, Math.floor((r * sources) / e.replacement.length));
      out.push(e.replacement.charAt(r));
      starts.push(b.starts[k] ?? 0);
      ends.push(b.ends[k] ?? 0);
    }
    at = e.end;
  }
  for (let k = at; k < b.out.length; k++) {
    out.push(b.out[k] ?? '');
    starts.push(b.starts[k] ?? 0);
    ends.push(b.ends[k] ?? 0);
  }
  b.out = out;
  b.starts = starts;
  b.ends = ends;
  return out.join('');
}

function collapseSpaced(text: string, b: Builder, tally: Tally): string {
  const edits: { start: number; end: number; replacement: string }[] = [];
  for (const m of text.matchAll(SPACED)) {
    const letters = m[0].replace(/[ ._*-]/g, '');
    // Single-letter list items ("a b c d") are not words; demand a vowel-bearing run of 4+.
    if (!/[aeiouy]/i.test(letters) && /[a-z]/i.test(letters)) continue;
    edits.push({ start: m.index, end: m.index + m[0].length, replacement: letters });
    tally.add('spaced-letters', b.starts[m.index] ?? 0, b.ends[m.index + m[0].length - 1] ?? 0);
  }
  return rebuild(b, text, edits);
}

function undoLeet(text: string, b: Builder, tally: Tally): string {
  const edits: { start: number; end: number; replacement: string }[] = [];
  for (const m of text.matchAll(LEET_WORD)) {
    const word = m[0];
    let symbols = 0;
    let letters = 0;
    for (const ch of word) {
      if (LEET[ch] !== undefined) symbols++;
      else if (LETTER.test(ch)) letters++;
    }
    // Identifiers, versions and ordinals ("utf8", "gpt4", "10th") carry one digit group at an
    // end; leet spreads substitutions through the word.
    if (symbols === 0 || letters < 2 || symbols > letters || NOT_LEET.test(word)) continue;
    let replaced = '';
    for (const ch of word) replaced += LEET[ch] ?? ch;
    edits.push({ start: m.index, end: m.index + word.length, replacement: replaced });
    tally.add('leetspeak', b.starts[m.index] ?? 0, b.ends[m.index + word.length - 1] ?? 0);
  }
  return rebuild(b, text, edits);
}
