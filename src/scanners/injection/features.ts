/**
 * Hashed n-gram features for the linear classifier: character 4- and 5-grams (multilingual by
 * construction: no tokenizer, no vocabulary, CJK works without word breaks), character bigrams
 * inside Chinese, Japanese and Korean text (most of their words are two characters), plus word
 * unigrams and bigrams. One pass over the text, no string allocation: hashes are built from char
 * codes.
 *
 * Letters are lower-cased, digits folded to '0' and whitespace runs collapsed, so "Ignore  ALL 3
 * rules" and "ignore all 5 rules" share features.
 */

import { codeUnits } from '../normalize/index.ts';

// Hot loops read module-private constants: V8 folds those, while an exported binding is read
// through its module cell on every use.
const BITS = 18;
const MASK = (1 << BITS) - 1;
export const FEATURE_BITS = BITS;
export const FEATURE_MASK = MASK;

const FNV_PRIME = 16777619;
const SEED_4 = 0x85ebca77;
const SEED_5 = 0xc2b2ae3d;
const SEED_WORD = 0x27d4eb2f;
const SEED_BIGRAM = 0x165667b1;
const SEED_CJK = 0x3c6ef372;
// Kana, CJK ideographs and Hangul syllables (U+3040–U+D7AF): the scripts written without spaces
// between words whose character pairs are features of their own.
const CJK_FIRST = 0x3040;
const CJK_LAST = 0xd7af;

// ASCII folding table: letters lower-cased, digits to '0', whitespace to ' '.
const ASCII_FOLD = Int32Array.from({ length: 128 }, (_, code) => {
  if (code >= 65 && code <= 90) return code + 32;
  if (code >= 48 && code <= 57) return 48;
  if (code === 9 || code === 10 || code === 13) return 32;
  return code;
});

// The walks below read `fold(code) | 0`, and word characters as 1 or 0 from `ASCII_WORD` or
// `wordChar`: a value whose type V8 does not know (a call's, a cached one) would otherwise make it
// carry every character as a tagged number and test every word character with a full truthiness
// check, in ASCII text too.
const lowerCache = new Map<number, number>();
function fold(code: number): number {
  let v = lowerCache.get(code);
  if (v === undefined) {
    const s = String.fromCharCode(code);
    v = /\s/.test(s) ? 32 : /\p{Nd}/u.test(s) ? 48 : s.toLowerCase().charCodeAt(0);
    if (lowerCache.size < 65536) lowerCache.set(code, v);
  }
  return v;
}

/** Per folded ASCII code: 1 for the word characters (letters and the folded digit `0`). */
const ASCII_WORD = Uint8Array.from({ length: 128 }, (_, code) =>
  (code >= 97 && code <= 122) || code === 48 ? 1 : 0,
);

function isWordChar(code: number): boolean {
  if (code < 128) return (code >= 97 && code <= 122) || code === 48;
  return code !== 32 && /[\p{L}\p{N}\p{M}]/u.test(String.fromCharCode(code));
}

const wordCharCache = new Map<number, boolean>();
function wordChar(code: number): boolean {
  if (code < 128) return (code >= 97 && code <= 122) || code === 48;
  let v = wordCharCache.get(code);
  if (v === undefined) {
    v = isWordChar(code);
    if (wordCharCache.size < 65536) wordCharCache.set(code, v);
  }
  return v;
}

/** Most features one window can produce: five per character (three n-grams, word, word bigram). */
export function maxFeatures(chars: number): number {
  return 5 * (chars + 1);
}

/**
 * Write the feature indices of `text.slice(start, end)` into `out` and return how many. With
 * `meta`, also record for each feature `position * 8 + length + 1`: `position` is where it ends,
 * `length` is n for character n-grams, 0 for a word, -1 for a word bigram (for explanations).
 * `out` must hold `maxFeatures(end - start)` entries. No allocation, no callbacks (`scoreFeatures` is the same walk, scoring instead of listing).
 */
export function extractFeatures(
  text: string,
  start: number,
  end: number,
  out: Int32Array,
  meta?: Int32Array,
): number {
  let c1 = 32;
  let c2 = 32;
  let c3 = 32;
  let c4 = 32;
  let n = 0;
  let wordHash = SEED_WORD;
  let inWord = false;
  let prevWord = 0;
  let hasPrev = false;
  const units = codeUnits(text);
  for (let i = start; i <= end; i++) {
    let c0 = 32;
    if (i < end) {
      const code = units[i] ?? 0;
      c0 = code < 128 ? (ASCII_FOLD[code] ?? 32) : fold(code) | 0;
    }
    if (c0 === 32 && c1 === 32) continue;
    // Character n-grams ending at this character (the leading/trailing space marks word edges).
    let h4 = Math.imul(SEED_4 ^ c3, FNV_PRIME);
    h4 = Math.imul(h4 ^ c2, FNV_PRIME);
    h4 = Math.imul(h4 ^ c1, FNV_PRIME);
    h4 = Math.imul(h4 ^ c0, FNV_PRIME);
    let h5 = Math.imul(SEED_5 ^ c4, FNV_PRIME);
    h5 = Math.imul(h5 ^ c3, FNV_PRIME);
    h5 = Math.imul(h5 ^ c2, FNV_PRIME);
    h5 = Math.imul(h5 ^ c1, FNV_PRIME);
    h5 = Math.imul(h5 ^ c0, FNV_PRIME);
    if (meta !== undefined) {
      meta[n] = i * 8 + 5;
      meta[n + 1] = i * 8 + 6;
    }
    out[n++] = (h4 ^ (h4 >>> 15)) & MASK;
    out[n++] = (h5 ^ (h5 >>> 15)) & MASK;
    if (c0 >= CJK_FIRST && c1 >= CJK_FIRST && c0 <= CJK_LAST && c1 <= CJK_LAST) {
      let h2 = Math.imul(SEED_CJK ^ c1, FNV_PRIME);
      h2 = Math.imul(h2 ^ c0, FNV_PRIME);
      if (meta !== undefined) meta[n] = i * 8 + 3;
      out[n++] = (h2 ^ (h2 >>> 15)) & MASK;
    }
    // Words: unigram on each word end, bigram with the previous word.
    if ((c0 < 128 ? (ASCII_WORD[c0] ?? 0) : wordChar(c0) ? 1 : 0) !== 0) {
      wordHash = Math.imul(wordHash ^ c0, FNV_PRIME);
      inWord = true;
    } else if (inWord) {
      const w = wordHash ^ (wordHash >>> 13);
      if (meta !== undefined) meta[n] = i * 8 + 1;
      out[n++] = Math.imul(w, 0x5bd1e995) & MASK;
      if (hasPrev) {
        const b = Math.imul(Math.imul(SEED_BIGRAM ^ prevWord, FNV_PRIME) ^ w, 0x5bd1e995);
        if (meta !== undefined) meta[n] = i * 8;
        out[n++] = (b ^ (b >>> 16)) & MASK;
      }
      prevWord = w;
      hasPrev = true;
      wordHash = SEED_WORD;
      inWord = false;
    }
    c4 = c3;
    c3 = c2;
    c2 = c1;
    c1 = c0;
  }
  return n;
}

// Scoring. Features are binary (present or not): a feature counts once per window and once per
// text. Presence is tracked with stamps instead of sets, so scoring allocates nothing per request.
// Windows are stamped in increasing order across texts, so one stamp per feature answers both
// questions: a feature is new in the window unless its stamp is the window's, and new in the text
// when its stamp is older than the text's first window.
//
// Each feature has one 2-byte cell: that stamp (8 bits), and the level of its weight (the byte the
// model file stores for it), whose weight is read from a 256-entry table that stays in the L1
// cache. The cell table (512 KB) is larger than the L1 cache: scoring a feature touches one cache
// line of it, and the smaller the table, the fewer cache and TLB misses, for the classifier and
// for the pattern matching that runs beside it. Eight bits of stamp wrap every 255 windows; a text
// that starts in the upper half of the stamps restarts them from a copy of the levels (a memory
// copy), so the slower renumbering at a wrap is left to texts of more than 127 windows. Weights
// that are not levels (a model being trained) are scored from their own table instead, by
// `scoreListed`. The tables are private to this module because V8 reads a module's own constant
// bindings faster in the hot loop than parameters or imports.
const LEVEL_BITS = 8;
const LEVEL_MASK = (1 << LEVEL_BITS) - 1;
/** Last stamp before the stamps wrap. */
const MAX_STAMP = (1 << (16 - LEVEL_BITS)) - 1;
const cells = new Uint16Array(1 << BITS);
/** The levels alone (every stamp 0), copied over `cells` to restart the stamps. */
const levelCells = new Uint16Array(1 << BITS);
/** The weight of each level, for the model whose levels `cells` hold. */
const levelWeights = new Float64Array(1 << LEVEL_BITS);

/** Weights as a model file stores them: one level (a byte) per feature, and each level's weight. */
export interface WeightLevels {
  readonly levels: Uint8Array;
  /** 256 weights, by level. */
  readonly weights: Float64Array;
}

/** The weights being scored against (none until `scoreWith`), and whether `cells` hold their levels. */
let heldWeights: Float32Array = new Float32Array(0);
let heldLevels = false;
// Stamps count from 1 (a cleared cell holds 0) to MAX_STAMP, then wrap (see `nextWindowStamp`).
let windowStamp = 0;
let textStart = 1;

/** Score against `weights` from now on (one weight per feature), from their `levels` if given. */
export function scoreWith(weights: Float32Array, levels?: WeightLevels): void {
  if (heldWeights === weights) return;
  if (weights.length !== 1 << BITS) throw new Error('injection model: weight table has the wrong size');
  if (levels !== undefined) {
    if (levels.levels.length !== weights.length || levels.weights.length !== 1 << LEVEL_BITS)
      throw new Error('injection model: weight levels have the wrong size');
    levelCells.set(levels.levels);
    for (let i = 0; i < cells.length; i++) cells[i] = ((cells[i] ?? 0) & ~LEVEL_MASK) | (levelCells[i] ?? 0);
    levelWeights.set(levels.weights);
  }
  heldWeights = weights;
  heldLevels = levels !== undefined;
}

/** Start a new text: its windows' stamps are all newer than every stamp in the table. */
export function beginText(): void {
  if (windowStamp > MAX_STAMP >> 1) {
    // No text is under way, so every stamp can go (weights without levels ignore the level bits).
    cells.set(levelCells);
    windowStamp = 0;
  }
  textStart = windowStamp + 1;
}

/**
 * The stamp of a new window. At the wrap the stamps are renumbered: a feature seen in the current
 * text gets stamp 1, any other 0, and the text starts at 1 (a text may span any number of windows).
 */
function nextWindowStamp(): number {
  if (windowStamp === MAX_STAMP) {
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i] ?? 0;
      cells[i] = (cell >> LEVEL_BITS >= textStart ? 1 << LEVEL_BITS : 0) | (cell & LEVEL_MASK);
    }
    windowStamp = 1;
    textStart = 1;
  }
  return ++windowStamp;
}

/** Indices into the `tally` of `scoreWindow`. */
const TALLY_WINDOW_SUM = 0;
const TALLY_WINDOW_COUNT = 1;
const TALLY_TEXT_SUM = 2;
const TALLY_TEXT_COUNT = 3;
export const WINDOW_SUM = TALLY_WINDOW_SUM;
export const WINDOW_COUNT = TALLY_WINDOW_COUNT;
export const TEXT_SUM = TALLY_TEXT_SUM;
export const TEXT_COUNT = TALLY_TEXT_COUNT;

/**
 * Score the window `text.slice(start, end)` of the text begun by `beginText`, against the weights
 * of `scoreWith`: a feature not yet seen in this window adds its weight to the window's sum and
 * count, and to the text's when it is new in the text too. Writes the window's sum and count into
 * `tally` and adds to the text's there.
 */
export function scoreWindow(text: string, start: number, end: number, tally: Float64Array): void {
  const stamp = nextWindowStamp();
  if (heldLevels) scoreFeatures(text, start, end, stamp, textStart, tally);
  else scoreListed(text, start, end, stamp, textStart, tally, heldWeights);
}

/** The features of the window `scoreListed` scores, grown to the longest window seen. */
let listed = new Int32Array(maxFeatures(1024));

/** `scoreFeatures` for weights without levels: the features listed first, each weight read from `weights`. */
function scoreListed(
  text: string,
  start: number,
  end: number,
  stamp: number,
  firstStamp: number,
  tally: Float64Array,
  weights: Float32Array,
): void {
  const need = maxFeatures(end - start);
  if (listed.length < need) listed = new Int32Array(need);
  const n = extractFeatures(text, start, end, listed);
  let sum = 0;
  let count = 0;
  let textSum = tally[TALLY_TEXT_SUM] ?? 0;
  let textCount = tally[TALLY_TEXT_COUNT] ?? 0;
  for (let k = 0; k < n; k++) {
    const feature = listed[k] ?? 0;
    const cell = cells[feature] ?? 0;
    const seen = cell >> LEVEL_BITS;
    if (seen === stamp) continue;
    cells[feature] = (stamp << LEVEL_BITS) | (cell & LEVEL_MASK);
    const weight = weights[feature] ?? 0;
    sum += weight;
    count++;
    if (seen < firstStamp) {
      textSum += weight;
      textCount++;
    }
  }
  tally[TALLY_WINDOW_SUM] = sum;
  tally[TALLY_WINDOW_COUNT] = count;
  tally[TALLY_TEXT_SUM] = textSum;
  tally[TALLY_TEXT_COUNT] = textCount;
}

/**
 * The features of `text.slice(start, end)`, found exactly as `extractFeatures` finds them, each
 * scored as soon as it is found from the levels in `cells` (see `scoreWindow`; `stamp` is the
 * window's, `firstStamp` the text's first window's).
 *
 * The classifier's hot loop. Scoring while hashing lets the hashing of the next features overlap
 * the cache misses of the cell table, which a second pass over a buffer of features leaves
 * exposed (about a sixth of the classifier's time). The scoring is written out at each of the
 * five places a feature is found so that the sums stay in registers (a helper would keep them in
 * memory), and the walk is repeated rather than shared through small hashing helpers, which
 * measured slower once inlined (classifier.test.ts checks the scores against `extractFeatures`).
 */
function scoreFeatures(
  text: string,
  start: number,
  end: number,
  stamp: number,
  firstStamp: number,
  tally: Float64Array,
): void {
  const ownStamp = stamp << LEVEL_BITS;
  // Int32 copies of the stamps: V8 keeps parameters tagged and would untag them at each feature.
  const thisWindow = stamp | 0;
  const textFirst = firstStamp | 0;
  let sum = 0;
  let count = 0;
  let textSum = tally[TALLY_TEXT_SUM] ?? 0;
  let textCount = tally[TALLY_TEXT_COUNT] ?? 0;
  let c1 = 32;
  let c2 = 32;
  let c3 = 32;
  let c4 = 32;
  let wordHash = SEED_WORD;
  let inWord = false;
  let prevWord = 0;
  let hasPrev = false;
  const units = codeUnits(text);
  for (let i = start; i <= end; i++) {
    let c0 = 32;
    if (i < end) {
      const code = units[i] ?? 0;
      c0 = code < 128 ? (ASCII_FOLD[code] ?? 32) : fold(code) | 0;
    }
    if (c0 === 32 && c1 === 32) continue;
    let h4 = Math.imul(SEED_4 ^ c3, FNV_PRIME);
    h4 = Math.imul(h4 ^ c2, FNV_PRIME);
    h4 = Math.imul(h4 ^ c1, FNV_PRIME);
    h4 = Math.imul(h4 ^ c0, FNV_PRIME);
    let h5 = Math.imul(SEED_5 ^ c4, FNV_PRIME);
    h5 = Math.imul(h5 ^ c3, FNV_PRIME);
    h5 = Math.imul(h5 ^ c2, FNV_PRIME);
    h5 = Math.imul(h5 ^ c1, FNV_PRIME);
    h5 = Math.imul(h5 ^ c0, FNV_PRIME);
    // Branch-free text count (adding `weight * 0` leaves the sum as it is; a stamp older than the
    // text's makes the difference negative): whether a feature occurred in an earlier window is
    // unpredictable, and a mispredicted branch costs more.
    {
      const feature = (h4 ^ (h4 >>> 15)) & MASK;
      const cell = cells[feature] ?? 0;
      const seen = cell >> LEVEL_BITS;
      if (seen !== thisWindow) {
        cells[feature] = ownStamp | (cell & LEVEL_MASK);
        const weight = levelWeights[cell & LEVEL_MASK] ?? 0;
        sum += weight;
        count++;
        const newInText = (seen - textFirst) >>> 31;
        textSum += weight * newInText;
        textCount += newInText;
      }
    }
    {
      const feature = (h5 ^ (h5 >>> 15)) & MASK;
      const cell = cells[feature] ?? 0;
      const seen = cell >> LEVEL_BITS;
      if (seen !== thisWindow) {
        cells[feature] = ownStamp | (cell & LEVEL_MASK);
        const weight = levelWeights[cell & LEVEL_MASK] ?? 0;
        sum += weight;
        count++;
        const newInText = (seen - textFirst) >>> 31;
        textSum += weight * newInText;
        textCount += newInText;
      }
    }
    if (c0 >= CJK_FIRST && c1 >= CJK_FIRST && c0 <= CJK_LAST && c1 <= CJK_LAST) {
      let h2 = Math.imul(SEED_CJK ^ c1, FNV_PRIME);
      h2 = Math.imul(h2 ^ c0, FNV_PRIME);
      const feature = (h2 ^ (h2 >>> 15)) & MASK;
      const cell = cells[feature] ?? 0;
      const seen = cell >> LEVEL_BITS;
      if (seen !== thisWindow) {
        cells[feature] = ownStamp | (cell & LEVEL_MASK);
        const weight = levelWeights[cell & LEVEL_MASK] ?? 0;
        sum += weight;
        count++;
        const newInText = (seen - textFirst) >>> 31;
        textSum += weight * newInText;
        textCount += newInText;
      }
    }
    if ((c0 < 128 ? (ASCII_WORD[c0] ?? 0) : wordChar(c0) ? 1 : 0) !== 0) {
      wordHash = Math.imul(wordHash ^ c0, FNV_PRIME);
      inWord = true;
    } else if (inWord) {
      const w = wordHash ^ (wordHash >>> 13);
      {
        const feature = Math.imul(w, 0x5bd1e995) & MASK;
        const cell = cells[feature] ?? 0;
        const seen = cell >> LEVEL_BITS;
        if (seen !== thisWindow) {
          cells[feature] = ownStamp | (cell & LEVEL_MASK);
          const weight = levelWeights[cell & LEVEL_MASK] ?? 0;
          sum += weight;
          count++;
          const newInText = (seen - textFirst) >>> 31;
          textSum += weight * newInText;
          textCount += newInText;
        }
      }
      if (hasPrev) {
        const b = Math.imul(Math.imul(SEED_BIGRAM ^ prevWord, FNV_PRIME) ^ w, 0x5bd1e995);
        {
          const feature = (b ^ (b >>> 16)) & MASK;
          const cell = cells[feature] ?? 0;
          const seen = cell >> LEVEL_BITS;
          if (seen !== thisWindow) {
            cells[feature] = ownStamp | (cell & LEVEL_MASK);
            const weight = levelWeights[cell & LEVEL_MASK] ?? 0;
            sum += weight;
            count++;
            const newInText = (seen - textFirst) >>> 31;
            textSum += weight * newInText;
            textCount += newInText;
          }
        }
      }
      prevWord = w;
      hasPrev = true;
      wordHash = SEED_WORD;
      inWord = false;
    }
    c4 = c3;
    c3 = c2;
    c2 = c1;
    c1 = c0;
  }
  tally[TALLY_WINDOW_SUM] = sum;
  tally[TALLY_WINDOW_COUNT] = count;
  tally[TALLY_TEXT_SUM] = textSum;
  tally[TALLY_TEXT_COUNT] = textCount;
}

const scratch = { out: new Int32Array(maxFeatures(1024)) };

/** Callback form of `extractFeatures`, for training and explanations (not the hot path). */
export function forEachFeature(
  text: string,
  start: number,
  end: number,
  emit: (index: number, position: number, length: number) => void,
): number {
  const need = maxFeatures(end - start);
  if (scratch.out.length < need) scratch.out = new Int32Array(need);
  const out = scratch.out;
  const meta = new Int32Array(need);
  const n = extractFeatures(text, start, end, out, meta);
  for (let k = 0; k < n; k++) {
    const m = meta[k] ?? 0;
    emit(out[k] ?? 0, m >> 3, (m & 7) - 1);
  }
  return n;
}
