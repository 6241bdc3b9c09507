/**
 * Pattern matching driven by lead words. Most rule alternatives start with a word from a short
 * list (`\b(?:ignore|disregard|…)`): such an alternative can only match where one of those words
 * starts, and `scanWords` already found every word start. So instead of scanning the text with
 * each regex, each such alternative is tried once (sticky) at each start of one of its lead words;
 * only the alternatives that do not start with a plain word scan the text. The hits are the same,
 * found in a fraction of the time (a test compares both ways on a corpus).
 */
import { hashWord, isLatinLetterCode, scriptBit } from './anchors.ts';
import type { WordScan } from './anchors.ts';

export interface PatternInput {
  /** Caller's id for the group the pattern belongs to (a rule family, a structure signal). */
  readonly group: number;
  readonly pattern: RegExp;
}

export interface PatternHit {
  readonly group: number;
  readonly start: number;
  readonly end: number;
}

/**
 * Walks a regex source from `from`, passing over escapes and character classes, and calls `visit`
 * with each structural `(`, `)` or `|`. Returns the index where `visit` said stop, or -1.
 */
function walkStructure(source: string, from: number, visit: (c: string, i: number) => boolean): number {
  let inClass = false;
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') inClass = true;
    else if ((c === '(' || c === ')' || c === '|') && visit(c, i)) return i;
  }
  return -1;
}

/** Top-level alternatives of a regex source (`|` outside groups and classes). */
export function topLevelAlternatives(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  walkStructure(source, 0, (c, i) => {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0) {
      parts.push(source.slice(from, i));
      from = i + 1;
    }
    return false;
  });
  parts.push(source.slice(from));
  return parts;
}

/** Index just past the group that opens at `open` (which holds `(`), or -1 if it never closes. */
function groupEnd(source: string, open: number): number {
  let depth = 0;
  const close = walkStructure(source, open, (c) => {
    if (c === '(') depth++;
    else if (c === ')') return --depth === 0;
    return false;
  });
  return close < 0 ? -1 : close + 1;
}

/** Whether the quantifier at `i` (if any) lets what precedes it match nothing. */
function optionalAt(source: string, i: number): boolean {
  const q = source[i];
  return q === '?' || q === '*' || source.startsWith('{0', i);
}

/**
 * Whether the source at `i` ends a word (end of the alternative, a space, `\\s`, `\\b`, an
 * apostrophe (either form), quote, hyphen, comma, colon, digit, or a class of those): the match's first word is then
 * exactly the lead word.
 */
function endsWord(source: string, i: number): boolean {
  const c = source[i];
  if (c === '\\') {
    // `\\s`, `\\b`, `\\n`, `\\t` or an escaped punctuation mark (`\\.`, `\\(`); not `\\w`, `\\d`, `\\S`…
    const next = source[i + 1] ?? '';
    if (next === 'b') return true;
    if (!(next === 's' || next === 'n' || next === 't' || !/^[\da-z]$/i.test(next))) return false;
    return !optionalAt(source, i + 2) || endsWord(source, afterQuantifier(source, i + 2));
  }
  // A group that opens with a word end (`(?:\\s+the)?`, `(?:[ -][a-z]+){0,2}`) ends the word; if
  // the group may be skipped, what follows it must end the word too.
  if (source.startsWith('(?:', i)) {
    const end = groupEnd(source, i);
    if (end < 0 || !topLevelAlternatives(source.slice(i + 3, end - 1)).every((a) => endsWord(a, 0)))
      return false;
    return !optionalAt(source, end) || endsWord(source, afterQuantifier(source, end));
  }
  // A class of characters that are not letters (`[ -]`, `[,:—]`, `[\\s.]`) ends a word as each of
  // its members does; if it may match nothing (`[ \\t]{0,4}`), what follows it must end the word too.
  if (c === '[') {
    let close = i + 1;
    while (close < source.length && source[close] !== ']') close += source[close] === '\\' ? 2 : 1;
    const members = source.slice(i + 1, close);
    if (close >= source.length || !/^(?:[^\\\p{L}^]|\\[snt]|\\[^\p{L}\d])+$/u.test(members)) return false;
    return !optionalAt(source, close + 1) || endsWord(source, afterQuantifier(source, close + 1));
  }
  // A digit ends a word too: the word scan splits "rot13" into "rot" and a number.
  return (
    c === undefined ||
    c === ' ' ||
    c === "'" ||
    c === '’' ||
    c === '"' ||
    c === '-' ||
    c === ',' ||
    c === ':' ||
    (c >= '0' && c <= '9')
  );
}

/** The first word of an alternative written as `word…`, or undefined. */
function firstWord(alt: string): string | undefined {
  let i = 0;
  while (i < alt.length && isLatinLetterCode(alt.charCodeAt(i))) i++;
  if (i === 0 || !endsWord(alt, i)) return undefined;
  return alt.slice(0, i).toLowerCase();
}

/** `alt` after its leading `\\b` or lookbehind, or undefined when it has neither. */
function afterWordStart(alt: string): string | undefined {
  if (alt.startsWith('\\b')) return alt.slice(2);
  if (!alt.startsWith('(?<=') && !alt.startsWith('(?<!')) return undefined;
  // A leading lookbehind (written to require a line start, punctuation or space before the word,
  // or to rule out a context such as "how do I enable …") only checks what precedes the word:
  // skip it.
  const end = groupEnd(alt, 0);
  if (end < 0) return undefined;
  const rest = alt.slice(end);
  if (rest.startsWith('(?<=') || rest.startsWith('(?<!')) return afterWordStart(rest);
  return rest.startsWith('\\b') ? rest.slice(2) : rest;
}

/**
 * The words one of which a match of `alt` must start with, or undefined when the alternative does
 * not start with `\b` and a plain word (or a group of alternatives that each start with one).
 */
export function leadWords(alt: string): string[] | undefined {
  const rest = afterWordStart(alt);
  if (rest === undefined) return undefined;
  if (!rest.startsWith('(?:')) {
    const word = firstWord(rest);
    return word === undefined ? undefined : [word];
  }
  const end = groupEnd(rest, 0);
  // A group made optional (`(?:as )?word`) does not lead every match.
  if (end < 0 || rest[end] === '?' || rest[end] === '*' || rest[end] === '{') return undefined;
  // An inner alternative that is one bare word ends where the group ends: then what follows the
  // group must end the word (not a quantifier or more letters).
  const followed = end < rest.length && endsWord(rest, end);
  const words: string[] = [];
  for (const inner of topLevelAlternatives(rest.slice(3, end - 1))) {
    const word = firstWord(inner);
    if (word === undefined || (word.length === inner.length && !followed)) return undefined;
    words.push(word);
  }
  return words;
}

/** A letter mask that rules nothing out (see `firstLetters`). */
export const ANY_LETTER = -1;

/** Where the source goes on after the quantifier (if any, lazy or not) at `i`. */
function afterQuantifier(source: string, i: number): number {
  const q = source[i];
  let after = i;
  if (q === '?' || q === '*' || q === '+') after = i + 1;
  else if (q === '{') after = source.indexOf('}', i) + 1;
  return after > i && source[after] === '?' ? after + 1 : after;
}

/**
 * The ASCII letters, as a mask (bit 0 for "a", either case), one of which every match of `source`
 * from `i` starts with; `ANY_LETTER` when a match may start with anything else (a class, an
 * escape, another character, an optional letter, or nothing).
 */
function firstLetters(source: string, i: number): number {
  if (source.startsWith('(?:', i)) {
    const end = groupEnd(source, i);
    if (end < 0) return ANY_LETTER;
    let letters = 0;
    for (const inner of topLevelAlternatives(source.slice(i + 3, end - 1))) letters |= firstLetters(inner, 0);
    // A group that may be skipped: what follows it may come first.
    if (optionalAt(source, end)) letters |= firstLetters(source, afterQuantifier(source, end));
    return letters;
  }
  const c = source.charCodeAt(i);
  const folded = c | 32;
  const next = source[i + 1];
  if (
    c >= 128 ||
    folded < 97 ||
    folded > 122 ||
    next === '?' ||
    next === '*' ||
    source.startsWith('{0', i + 1)
  )
    return ANY_LETTER;
  return 1 << (folded - 97);
}

/**
 * The first letters (see `firstLetters`) of the word that follows `lead` and white space (a space
 * or `\\s`, once or more) in every match of `alt` that `lead` leads (a word of `leadWords(alt)`);
 * `ANY_LETTER` when a match may go on otherwise. That word is the next one the word scan finds
 * after the lead word: white space holds no letter.
 */
export function nextWordLetters(alt: string, lead: string): number {
  const rest = afterWordStart(alt) ?? '';
  const afterLead = (source: string, at: number): number => {
    const space = source[at] === ' ' ? at + 1 : source.startsWith('\\s', at) ? at + 2 : -1;
    const q = source[space];
    return space < 0 || q === '?' || q === '*' || q === '{'
      ? ANY_LETTER
      : firstLetters(source, afterQuantifier(source, space));
  };
  if (!rest.startsWith('(?:')) return afterLead(rest, lead.length);
  const end = groupEnd(rest, 0);
  let letters = 0;
  for (const inner of topLevelAlternatives(rest.slice(3, end - 1))) {
    if (firstWord(inner) !== lead) continue;
    // A bare word ends where the group ends: what follows the group follows the word.
    letters |= inner.length === lead.length ? afterLead(rest, end) : afterLead(inner, lead.length);
  }
  return letters;
}

/**
 * Whether every match of `alt` holds a letter outside the Latin scripts: the alternative starts
 * (after an optional `\\b`) with a Greek, Cyrillic, Arabic, Indic, CJK, kana or Hangul letter
 * written literally and not made optional, or with a group each of whose alternatives does (and,
 * if the group may be skipped, what follows it too). Those
 * letters' other cases, if any, lie in the same block, so `i` changes nothing.
 */
function startsWithForeignLetter(alt: string): boolean {
  const at = alt.startsWith('\\b') ? 2 : 0;
  if (alt.startsWith('(?:', at)) {
    const end = groupEnd(alt, at);
    if (end < 0 || !topLevelAlternatives(alt.slice(at + 3, end - 1)).every(startsWithForeignLetter))
      return false;
    // A group that may be skipped (`(?:你的)?新任务`): what follows it must start the same way.
    const optional = alt[end] === '?' || alt[end] === '*' || alt.startsWith('{0', end);
    return !optional || startsWithForeignLetter(alt.slice(afterQuantifier(alt, end)));
  }
  const first = alt.charCodeAt(at);
  const next = alt[at + 1] ?? '';
  return (
    first >= 0x370 &&
    /^\p{L}$/u.test(String.fromCharCode(first)) &&
    next !== '?' &&
    next !== '*' &&
    next !== '{'
  );
}

/**
 * Escapes that stand for a class, an assertion, a back-reference or a coded character, not for
 * the character after the backslash.
 */
const CLASS_ESCAPES = new Set('bBsSdDwWnrtfv0123456789xucpPk'.split(''));

/** A top-level token of a regex alternative: an escape, a class, a group or one character. */
interface Token {
  readonly kind: 'escape' | 'class' | 'group' | 'char';
  readonly source: string;
  /** A quantifier after it (`?`, `*`, `{0,…}`) lets a match do without it. */
  readonly optional: boolean;
}

/** The top-level tokens of `alt`, in order; undefined when a group or a quantifier does not close. */
function tokensOf(alt: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < alt.length) {
    const start = i;
    const c = alt[i] ?? '';
    let kind: Token['kind'] = 'char';
    if (c === '\\') {
      kind = 'escape';
      i += 2;
    } else if (c === '[') {
      kind = 'class';
      i++;
      while (i < alt.length && alt[i] !== ']') i += alt[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '(') {
      kind = 'group';
      i = groupEnd(alt, i);
      if (i < 0) return undefined;
    } else i++;
    const source = alt.slice(start, i);
    let optional = false;
    const q = alt[i] ?? '';
    if (q === '?' || q === '*') {
      optional = true;
      i++;
    } else if (q === '+') i++;
    else if (q === '{') {
      const close = alt.indexOf('}', i);
      if (close < 0) return undefined;
      optional = /^\{0\b/.test(alt.slice(i, close + 1));
      i = close + 1;
    }
    // A lazy quantifier's `?`.
    if (q !== '' && '?*+{'.includes(q) && alt[i] === '?') i++;
    tokens.push({ kind, source, optional });
  }
  return tokens;
}

/**
 * The characters every match of `alt` holds: literals outside groups and classes that no
 * quantifier makes optional. Letters are left out (a case-insensitive pattern matches both cases)
 * and so is the space (too common to rule a text out). Empty when there is none.
 */
export function requiredCharacters(alt: string): string[] {
  const characters = new Set<string>();
  for (const { kind, source, optional } of tokensOf(alt) ?? []) {
    let literal: string | undefined;
    if (kind === 'escape' && !CLASS_ESCAPES.has(source[1] ?? '')) literal = source[1];
    else if (kind === 'char' && source !== '^' && source !== '$' && source !== '.') literal = source;
    if (literal !== undefined && !optional && literal !== ' ' && !/^\p{L}$/u.test(literal))
      characters.add(literal);
  }
  return [...characters];
}

/**
 * What a text must hold for one of `alternatives` to match it: for some alternative, every one of
 * its `requiredCharacters`. Sets that hold another set are dropped (the smaller one decides).
 * Undefined when some alternative requires nothing.
 */
export function requiredSets(alternatives: readonly string[]): string[][] | undefined {
  const sets = alternatives.map(requiredCharacters).sort((a, b) => a.length - b.length);
  if (sets.some((set) => set.length === 0)) return undefined;
  const kept: string[][] = [];
  for (const set of sets) if (!kept.some((k) => k.every((c) => set.includes(c)))) kept.push(set);
  return kept;
}

/** The `scriptBit`s of a letter at or above U+0250 and of its other cases; 0 for any other character. */
function letterScripts(c: string): number {
  const code = c.charCodeAt(0);
  if (code < 0x250 || !/^\p{L}$/u.test(c)) return 0;
  return (
    scriptBit(code) | scriptBit(c.toLowerCase().charCodeAt(0)) | scriptBit(c.toUpperCase().charCodeAt(0))
  );
}

/**
 * `scriptBit`s one of which every match of `alt` holds: those of a letter at or above U+0250
 * written literally and not made optional, or of a group each of whose alternatives holds one
 * (the union of theirs). Lookarounds and classes are passed over. Undefined when there is none.
 */
export function requiredScripts(alt: string): number | undefined {
  for (const { kind, source, optional } of tokensOf(alt) ?? []) {
    if (optional) continue;
    if (kind === 'char' && letterScripts(source) !== 0) return letterScripts(source);
    if (kind === 'group' && source.startsWith('(?:')) {
      const inner = topLevelAlternatives(source.slice(3, -1)).map(requiredScripts);
      if (inner.every((m) => m !== undefined)) return inner.reduce((all, m) => all | m, 0);
    }
  }
  return undefined;
}

/** Where a global scan goes on after an empty match at `index`: the next character, as `matchAll` does. */
function afterEmptyMatch(text: string, index: number, regex: RegExp): number {
  const unicode = regex.unicode || regex.unicodeSets;
  const high = text.charCodeAt(index);
  const low = text.charCodeAt(index + 1);
  const pair = high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
  return index + (unicode && pair ? 2 : 1);
}

/** Whether `text` holds every character of one of `sets` (plain loops: this runs per group and text). */
function holdsOneSet(text: string, sets: readonly (readonly string[])[]): boolean {
  for (const set of sets) {
    let held = 0;
    while (held < set.length && text.includes(set[held] ?? '')) held++;
    if (held === set.length) return true;
  }
  return false;
}

const LEAD_TABLE_SIZE = 2048;
const LEAD_TABLE_MASK = LEAD_TABLE_SIZE - 1;
/** Bits of the lead-word filter: with a few hundred lead words, about 2% of other words pass it. */
const LEAD_FILTER_BITS = 14;
const LEAD_FILTER_MASK = (1 << LEAD_FILTER_BITS) - 1;

/** An alternative as led by one of its lead words. */
interface Sticky {
  readonly group: number;
  readonly regex: RegExp;
  /** Letters the next word can start with (see `nextWordLetters`): the regex runs only after one. */
  readonly letters: number;
  readonly leadLength: number;
}

/** A joined regex, and what a text must hold for it to match (see `requiredSets`). */
interface Joined {
  readonly regex: RegExp;
  readonly needs: readonly (readonly string[])[] | undefined;
}

/** Joined regexes kept per group of scanned alternatives (each set of scripts seen gets one). */
const MAX_JOINED = 32;

/** The alternatives of one group and flags that have no lead word (see `LeadPatterns.scanned`). */
class Scanned {
  /** The distinct non-zero script sets of the alternatives. */
  private readonly scriptSets: number[];
  /** Joined regexes by which of `scriptSets` a text holds (one bit each), built when first needed. */
  private readonly byPresent = new Map<number, Joined | undefined>();
  /** The whole alternation: every script set present. */
  private readonly all: Joined | undefined;

  readonly group: number;
  private readonly flags: string;
  private readonly alternatives: readonly { source: string; scripts: number }[];

  constructor(group: number, flags: string, alternatives: readonly { source: string; scripts: number }[]) {
    this.group = group;
    this.flags = flags;
    this.alternatives = alternatives;
    this.scriptSets = [...new Set(alternatives.map((a) => a.scripts).filter((m) => m !== 0))];
    if (this.scriptSets.length > 30) throw new Error('too many script sets in one pattern group');
    const every = (1 << this.scriptSets.length) - 1;
    this.all = this.join(every);
    // Seeded so that texts holding every script set (all texts, for a group with none) reuse it.
    this.byPresent.set(every, this.all);
  }

  /** The regex of the alternatives that can match a text holding `scripts`, if any can. */
  joined(scripts: number): Joined | undefined {
    let present = 0;
    for (let k = 0; k < this.scriptSets.length; k++)
      if (((this.scriptSets[k] ?? 0) & scripts) !== 0) present |= 1 << k;
    if (this.byPresent.has(present)) return this.byPresent.get(present);
    // Texts mixing ever new sets of scripts must not grow the cache without end: past its bound
    // they get the whole alternation, which finds the same hits.
    if (this.byPresent.size >= MAX_JOINED) return this.all;
    const joined = this.join(present);
    this.byPresent.set(present, joined);
    return joined;
  }

  /** The alternatives that need no script or one of the `present` script sets, joined. */
  private join(present: number): Joined | undefined {
    const sources = this.alternatives
      .filter((a) => a.scripts === 0 || (present & (1 << this.scriptSets.indexOf(a.scripts))) !== 0)
      .map((a) => a.source);
    if (sources.length === 0) return undefined;
    return {
      regex: new RegExp(sources.map((s) => `(?:${s})`).join('|'), `${this.flags}g`),
      needs: requiredSets(sources),
    };
  }
}

/** A compiled set of patterns: sticky alternatives by lead word, the rest joined per group. */
export class LeadPatterns {
  private readonly sticky: Sticky[] = [];
  // Lead-word hash → sticky indices, as an open-addressing table over typed arrays: one probe per
  // word of the text, no boxing.
  private readonly tableKeys = new Int32Array(LEAD_TABLE_SIZE);
  private readonly tableLists: (readonly number[] | undefined)[] = new Array<undefined>(LEAD_TABLE_SIZE);
  // One bit per lead-word hash (low bits): most words of a text lead no alternative, and one bit
  // test passes them over before the table probe.
  private readonly leadFilter = new Int32Array(1 << (LEAD_FILTER_BITS - 5));
  // The alternatives without a lead word, joined into one regex per group and flags. Each has the
  // `scriptBit`s one of which its every match holds (see `requiredScripts`; 0 for none), so an
  // alternative whose scripts are absent from a text (`WordScan.scripts`) cannot match it: the
  // regex is joined from the alternatives that can (`Scanned.joined`), which finds the same hits
  // as the whole alternation. A Cyrillic text then runs a group's Cyrillic patterns and not its
  // Chinese ones, and Latin text none of them.
  private readonly scanned: Scanned[] = [];
  /**
   * Alternatives with no lead word that do not start with a non-Latin letter: each is part of a
   * regex run over every enabled text, Latin or not. Tests keep this list to marker-led patterns,
   * because a common-word pattern that lands here costs a whole-text scan per call.
   */
  readonly scannedLatin: { group: number; source: string }[] = [];
  // Per group, reused by every `match` call: enabled (1) or not, hits so far, end of the last hit.
  private readonly groupEnabled: Uint8Array;
  private readonly groupHits: Int32Array;
  private readonly groupLastEnd: Int32Array;

  constructor(inputs: readonly PatternInput[]) {
    const byLead = new Map<number, number[]>();
    const rest = new Map<
      string,
      { group: number; flags: string; alternatives: { source: string; scripts: number }[] }
    >();
    for (const { group, pattern } of inputs) {
      const flags = pattern.flags.replace('g', '');
      for (const alt of topLevelAlternatives(pattern.source)) {
        const leads = leadWords(alt);
        if (leads === undefined) {
          const key = `${group}/${flags}`;
          const entry = rest.get(key) ?? { group, flags, alternatives: [] };
          entry.alternatives.push({ source: alt, scripts: requiredScripts(alt) ?? 0 });
          if (!startsWithForeignLetter(alt)) this.scannedLatin.push({ group, source: alt });
          rest.set(key, entry);
          continue;
        }
        const regex = new RegExp(alt, `${flags}y`);
        // With the u or v flag, case-insensitive letters match some letters outside ASCII too.
        const asciiLetters = !regex.unicode && !regex.unicodeSets;
        for (const word of new Set(leads)) {
          const letters = asciiLetters ? nextWordLetters(alt, word) : ANY_LETTER;
          const h = hashWord(word);
          const list = byLead.get(h) ?? [];
          list.push(this.sticky.length);
          this.sticky.push({ group, regex, letters, leadLength: word.length });
          byLead.set(h, list);
        }
      }
    }
    if (byLead.size * 2 > LEAD_TABLE_SIZE) throw new Error('lead-word table too small');
    for (const [h, list] of byLead) {
      let slot = h & LEAD_TABLE_MASK;
      while (this.tableLists[slot] !== undefined) slot = (slot + 1) & LEAD_TABLE_MASK;
      this.tableKeys[slot] = h;
      this.tableLists[slot] = list;
      const bit = h & LEAD_FILTER_MASK;
      this.leadFilter[bit >>> 5] = (this.leadFilter[bit >>> 5] ?? 0) | (1 << (bit & 31));
    }
    const groups = Math.max(0, ...inputs.map((input) => input.group)) + 1;
    this.groupEnabled = new Uint8Array(groups);
    this.groupHits = new Int32Array(groups);
    this.groupLastEnd = new Int32Array(groups);
    for (const { group, flags, alternatives } of rest.values())
      this.scanned.push(new Scanned(group, flags, alternatives));
  }

  /** Whether a word with this hash (`hashWord`) leads some alternative. */
  leads(hash: number): boolean {
    let slot = hash & LEAD_TABLE_MASK;
    for (let list = this.tableLists[slot]; list !== undefined; list = this.tableLists[slot]) {
      if (this.tableKeys[slot] === hash) return true;
      slot = (slot + 1) & LEAD_TABLE_MASK;
    }
    return false;
  }

  /**
   * Hits of the enabled groups, at most `limit` per group, non-overlapping within a group, in text
   * order per group. `words` is the `scanWords` result of this same text.
   */
  match(text: string, words: WordScan, enabled: (group: number) => boolean, limit: number): PatternHit[] {
    const hits: PatternHit[] = [];
    const { groupEnabled, groupHits, groupLastEnd } = this;
    for (let group = 0; group < groupEnabled.length; group++) {
      groupEnabled[group] = enabled(group) ? 1 : 0;
      groupHits[group] = 0;
      groupLastEnd[group] = 0;
    }
    // Locals: the loop calls regexes, so V8 would reload fields and properties on every word.
    const { leadFilter, tableKeys, tableLists, sticky } = this;
    const { starts, hashes } = words;
    const count = starts.length;
    for (let k = 0; k < count; k++) {
      const h = hashes[k] ?? 0;
      const bit = h & LEAD_FILTER_MASK;
      if (((leadFilter[bit >>> 5] ?? 0) & (1 << (bit & 31))) === 0) continue;
      let slot = h & LEAD_TABLE_MASK;
      let list = tableLists[slot];
      while (list !== undefined && tableKeys[slot] !== h) {
        slot = (slot + 1) & LEAD_TABLE_MASK;
        list = tableLists[slot];
      }
      if (list === undefined) continue;
      const at = starts[k] ?? 0;
      // The next word's start and first letter, as a bit of `Sticky.letters` (none past the last
      // word): most lead words of a text are followed by a word the alternative cannot continue
      // with, and one character read then replaces a regex call.
      const nextStart = k + 1 < count ? (starts[k + 1] ?? 0) : text.length;
      const next = text.charCodeAt(nextStart) | 32;
      const nextBit = next >= 97 && next <= 122 ? 1 << (next - 97) : 0;
      for (const index of list) {
        const s = sticky[index];
        if (s === undefined) continue;
        const group = s.group;
        if (groupEnabled[group] !== 1 || (groupHits[group] ?? 0) >= limit || at < (groupLastEnd[group] ?? 0))
          continue;
        // A start inside the lead word (one `\b` sees where a word mixes ASCII with other Latin
        // letters, added by the caller) is not the next word: the regex decides.
        if (s.letters !== ANY_LETTER && (s.letters & nextBit) === 0 && nextStart >= at + s.leadLength)
          continue;
        // `test` on a sticky regex leaves `lastIndex` at the match's end, and builds no match array.
        s.regex.lastIndex = at;
        if (!s.regex.test(text)) continue;
        const end = s.regex.lastIndex;
        hits.push({ group, start: at, end });
        groupLastEnd[group] = end;
        groupHits[group] = (groupHits[group] ?? 0) + 1;
      }
    }
    for (const scanned of this.scanned) {
      const group = scanned.group;
      if (groupEnabled[group] !== 1) continue;
      const joined = scanned.joined(words.scripts);
      if (joined === undefined) continue;
      const { regex, needs } = joined;
      if (needs !== undefined && !holdsOneSet(text, needs)) continue;
      // `exec` on the pattern itself: `matchAll` would copy the regex on every call.
      regex.lastIndex = 0;
      for (let n = 0; n < limit; n++) {
        const m = regex.exec(text);
        if (m === null) break;
        hits.push({ group, start: m.index, end: m.index + m[0].length });
        if (m[0].length === 0) regex.lastIndex = afterEmptyMatch(text, m.index, regex);
      }
    }
    return hits.length < 2 ? hits : hits.sort((a, b) => a.group - b.group || a.start - b.start);
  }
}
