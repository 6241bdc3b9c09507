/**
 * Hashed n-gram features for the linear classifier: character 3/4/5-grams (multilingual by
 * construction: no tokenizer, no vocabulary, CJK works without word breaks) plus word unigrams and
 * bigrams. One pass over the text, no string allocation: hashes are built from char codes.
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
const SEED_3 = 0x9e3779b1;
const SEED_4 = 0x85ebca77;
const SEED_5 = 0xc2b2ae3d;
const SEED_WORD = 0x27d4eb2f;
const SEED_BIGRAM = 0x165667b1;

// ASCII folding table: letters lower-cased, digits to '0', whitespace to ' '.
const ASCII_FOLD = Int32Array.from({ length: 128 }, (_, code) => {
  if (code >= 65 && code <= 90) return code + 32;
  if (code >= 48 && code <= 57) return 48;
  if (code === 9 || code === 10 || code === 13) return 32;
  return code;
});

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

/** Most features one window can produce: five per character (three n-grams, word, bigram). */
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
      c0 = code < 128 ? (ASCII_FOLD[code] ?? 32) : fold(code);
    }
    if (c0 === 32 && c1 === 32) continue;
    // Character n-grams ending at this character (the leading/trailing space marks word edges).
    let h = Math.imul(SEED_3 ^ c2, FNV_PRIME);
    h = Math.imul(h ^ c1, FNV_PRIME);
    h = Math.imul(h ^ c0, FNV_PRIME);
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
      meta[n] = i * 8 + 4;
      meta[n + 1] = i * 8 + 5;
      meta[n + 2] = i * 8 + 6;
    }
    out[n++] = (h ^ (h >>> 15)) & MASK;
    out[n++] = (h4 ^ (h4 >>> 15)) & MASK;
    out[n++] = (h5 ^ (h5 >>> 15)) & MASK;
    // Words: unigram on each word end, bigram with the previous word.
    if (c0 < 128 ? (c0 >= 97 && c0 <= 122) || c0 === 48 : wordChar(c0)) {
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
// text. Presence is tracked with generation stamps instead of sets, so scoring allocates nothing
// per request. Each feature has one 8-byte cell holding its window stamp and its text stamp (16
// bits each) and a copy of its weight: the table is larger than the CPU cache, and scoring a
// feature then touches one cache line instead of three, in a table half the size 32-bit stamps
// would need (fewer cache and TLB misses). The table is private to this module because V8 reads
// a module's own constant bindings faster in the hot loop than parameters or imports.
const CELL = 2;
const STAMPS = 0;
const WEIGHT = 1;
const WINDOW_STAMP = 0xffff;
const cells = new Int32Array(CELL << BITS);
const cellWeights = new Float32Array(cells.buffer);
/** The weights copied into `cells`. A model's weights never change once built (training builds new models). */
let cellsHold: Float32Array | undefined;
// Stamps count from 1 (a cleared cell holds 0) to 0xffff, then the table's stamps are cleared.
let textStamp = 0;
let windowStamp = 0;

/** Score against `weights` from now on (one weight per feature). */
export function scoreWith(weights: Float32Array): void {
  if (cellsHold === weights) return;
  if (weights.length !== 1 << BITS) throw new Error('injection model: weight table has the wrong size');
  for (let i = 0; i < weights.length; i++) cellWeights[i * CELL + WEIGHT] = weights[i] ?? 0;
  cellsHold = weights;
}

/** The stamp of a new text. */
export function nextTextStamp(): number {
  if (textStamp === 0xffff) {
    for (let cell = 0; cell < cells.length; cell += CELL) cells[cell + STAMPS] = 0;
    textStamp = 0;
    windowStamp = 0;
  }
  return ++textStamp;
}

/**
 * The stamp of a new window. Its wrap clears only the window stamps and keeps the text's: a text
 * may span any number of windows.
 */
export function nextWindowStamp(): number {
  if (windowStamp === 0xffff) {
    for (let cell = 0; cell < cells.length; cell += CELL)
      cells[cell + STAMPS] = (cells[cell + STAMPS] ?? 0) & ~WINDOW_STAMP;
    windowStamp = 0;
  }
  return ++windowStamp;
}

/** Indices into the `tally` of `scoreFeatures`. */
const TALLY_WINDOW_SUM = 0;
const TALLY_WINDOW_COUNT = 1;
const TALLY_TEXT_SUM = 2;
const TALLY_TEXT_COUNT = 3;
export const WINDOW_SUM = TALLY_WINDOW_SUM;
export const WINDOW_COUNT = TALLY_WINDOW_COUNT;
export const TEXT_SUM = TALLY_TEXT_SUM;
export const TEXT_COUNT = TALLY_TEXT_COUNT;

/**
 * The features of `text.slice(start, end)`, found exactly as `extractFeatures` finds them, each
 * scored as soon as it is found against the weights of `scoreWith`: a feature not yet seen in
 * this window (stamp `windowGen`, from `nextWindowStamp`) adds its weight to the window's sum and
 * count, and to the text's when it is new in the text too (stamp `textGen`, from
 * `nextTextStamp`). Writes the window's sum and count into `tally` and adds to the text's there.
 *
 * The classifier's hot loop. Scoring while hashing lets the hashing of the next features overlap
 * the cache misses of the cell table, which a second pass over a buffer of features leaves
 * exposed (about a sixth of the classifier's time). The scoring is written out at each of the
 * five places a feature is found so that the sums stay in registers (a helper would keep them in
 * memory), and the walk is repeated rather than shared through small hashing helpers, which
 * measured slower once inlined (classifier.test.ts checks the scores against `extractFeatures`).
 */
export function scoreFeatures(
  text: string,
  start: number,
  end: number,
  windowGen: number,
  textGen: number,
  tally: Float64Array,
): void {
  const textBits = textGen << 16;
  const ownStamps = textBits | windowGen;
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
      c0 = code < 128 ? (ASCII_FOLD[code] ?? 32) : fold(code);
    }
    if (c0 === 32 && c1 === 32) continue;
    let h = Math.imul(SEED_3 ^ c2, FNV_PRIME);
    h = Math.imul(h ^ c1, FNV_PRIME);
    h = Math.imul(h ^ c0, FNV_PRIME);
    let h4 = Math.imul(SEED_4 ^ c3, FNV_PRIME);
    h4 = Math.imul(h4 ^ c2, FNV_PRIME);
    h4 = Math.imul(h4 ^ c1, FNV_PRIME);
    h4 = Math.imul(h4 ^ c0, FNV_PRIME);
    let h5 = Math.imul(SEED_5 ^ c4, FNV_PRIME);
    h5 = Math.imul(h5 ^ c3, FNV_PRIME);
    h5 = Math.imul(h5 ^ c2, FNV_PRIME);
    h5 = Math.imul(h5 ^ c1, FNV_PRIME);
    h5 = Math.imul(h5 ^ c0, FNV_PRIME);
    // Branch-free text count (adding `weight * 0` leaves the sum as it is): whether a feature
    // occurred in an earlier window is unpredictable, and a mispredicted branch costs more.
    {
      const cell = ((h ^ (h >>> 15)) & MASK) * CELL;
      const stamps = cells[cell + STAMPS] ?? 0;
      if ((stamps & WINDOW_STAMP) !== windowGen) {
        cells[cell + STAMPS] = ownStamps;
        const weight = cellWeights[cell + WEIGHT] ?? 0;
        sum += weight;
        count++;
        const textDiff = (stamps & ~WINDOW_STAMP) ^ textBits;
        const newInText = (textDiff | -textDiff) >>> 31;
        textSum += weight * newInText;
        textCount += newInText;
      }
    }
    {
      const cell = ((h4 ^ (h4 >>> 15)) & MASK) * CELL;
      const stamps = cells[cell + STAMPS] ?? 0;
      if ((stamps & WINDOW_STAMP) !== windowGen) {
        cells[cell + STAMPS] = ownStamps;
        const weight = cellWeights[cell + WEIGHT] ?? 0;
        sum += weight;
        count++;
        const textDiff = (stamps & ~WINDOW_STAMP) ^ textBits;
        const newInText = (textDiff | -textDiff) >>> 31;
        textSum += weight * newInText;
        textCount += newInText;
      }
    }
    {
      const cell = ((h5 ^ (h5 >>> 15)) & MASK) * CELL;
      const stamps = cells[cell + STAMPS] ?? 0;
      if ((stamps & WINDOW_STAMP) !== windowGen) {
        cells[cell + STAMPS] = ownStamps;
        const weight = cellWeights[cell + WEIGHT] ?? 0;
        sum += weight;
        count++;
        const textDiff = (stamps & ~WINDOW_STAMP) ^ textBits;
        const newInText = (textDiff | -textDiff) >>> 31;
        textSum += weight * newInText;
        textCount += newInText;
      }
    }
    if (c0 < 128 ? (c0 >= 97 && c0 <= 122) || c0 === 48 : wordChar(c0)) {
      wordHash = Math.imul(wordHash ^ c0, FNV_PRIME);
      inWord = true;
    } else if (inWord) {
      const w = wordHash ^ (wordHash >>> 13);
      {
        const cell = (Math.imul(w, 0x5bd1e995) & MASK) * CELL;
        const stamps = cells[cell + STAMPS] ?? 0;
        if ((stamps & WINDOW_STAMP) !== windowGen) {
          cells[cell + STAMPS] = ownStamps;
          const weight = cellWeights[cell + WEIGHT] ?? 0;
          sum += weight;
          count++;
          const textDiff = (stamps & ~WINDOW_STAMP) ^ textBits;
          const newInText = (textDiff | -textDiff) >>> 31;
          textSum += weight * newInText;
          textCount += newInText;
        }
      }
      if (hasPrev) {
        const b = Math.imul(Math.imul(SEED_BIGRAM ^ prevWord, FNV_PRIME) ^ w, 0x5bd1e995);
        {
          const cell = ((b ^ (b >>> 16)) & MASK) * CELL;
          const stamps = cells[cell + STAMPS] ?? 0;
          if ((stamps & WINDOW_STAMP) !== windowGen) {
            cells[cell + STAMPS] = ownStamps;
            const weight = cellWeights[cell + WEIGHT] ?? 0;
            sum += weight;
            count++;
            const textDiff = (stamps & ~WINDOW_STAMP) ^ textBits;
            const newInText = (textDiff | -textDiff) >>> 31;
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
