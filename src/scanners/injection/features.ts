/**
 * Hashed n-gram features for the linear classifier: character 3/4/5-grams (multilingual by
 * construction: no tokenizer, no vocabulary, CJK works without word breaks) plus word unigrams and
 * bigrams. One pass over the text, no string allocation: hashes are built from char codes.
 *
 * Letters are lower-cased, digits folded to '0' and whitespace runs collapsed, so "Ignore  ALL 3
 * rules" and "ignore all 5 rules" share features.
 */

import { codeUnits } from '../normalize/index.ts';

export const FEATURE_BITS = 18;
export const FEATURE_MASK = (1 << FEATURE_BITS) - 1;

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
 * `out` must hold `maxFeatures(end - start)` entries. No allocation, no callbacks: this is the hot loop.
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
    out[n++] = (h ^ (h >>> 15)) & FEATURE_MASK;
    out[n++] = (h4 ^ (h4 >>> 15)) & FEATURE_MASK;
    out[n++] = (h5 ^ (h5 >>> 15)) & FEATURE_MASK;
    // Words: unigram on each word end, bigram with the previous word.
    if (c0 < 128 ? (c0 >= 97 && c0 <= 122) || c0 === 48 : wordChar(c0)) {
      wordHash = Math.imul(wordHash ^ c0, FNV_PRIME);
      inWord = true;
    } else if (inWord) {
      const w = wordHash ^ (wordHash >>> 13);
      if (meta !== undefined) meta[n] = i * 8 + 1;
      out[n++] = Math.imul(w, 0x5bd1e995) & FEATURE_MASK;
      if (hasPrev) {
        const b = Math.imul(Math.imul(SEED_BIGRAM ^ prevWord, FNV_PRIME) ^ w, 0x5bd1e995);
        if (meta !== undefined) meta[n] = i * 8;
        out[n++] = (b ^ (b >>> 16)) & FEATURE_MASK;
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
