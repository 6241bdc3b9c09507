/**
 * Hashed n-gram features for the linear classifier: character 3/4/5-grams (multilingual by
 * construction: no tokenizer, no vocabulary, CJK works without word breaks) plus word unigrams and
 * bigrams. One pass over the text, no string allocation: hashes are built from char codes.
 *
 * Letters are lower-cased, digits folded to '0' and whitespace runs collapsed, so "Ignore  ALL 3
 * rules" and "ignore all 5 rules" share features.
 */

export const FEATURE_BITS = 18;
export const FEATURE_MASK = (1 << FEATURE_BITS) - 1;

const FNV_PRIME = 16777619;
const SEED_CHAR = [0, 0, 0, 0x9e3779b1, 0x85ebca77, 0xc2b2ae3d] as const;
const SEED_WORD = 0x27d4eb2f;
const SEED_BIGRAM = 0x165667b1;

const lowerCache = new Map<number, number>();
function fold(code: number): number {
  if (code < 128) {
    if (code >= 65 && code <= 90) return code + 32;
    if (code >= 48 && code <= 57) return 48;
    if (code === 9 || code === 10 || code === 13) return 32;
    return code;
  }
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

/**
 * Call `emit(index, position, length)` for every feature of `text.slice(start, end)`: `position` is
 * where the feature ends, `length` is n for character n-grams, 0 for a word, -1 for a word bigram
 * (so explanations can show the n-gram). Returns the feature count.
 */
export function forEachFeature(
  text: string,
  start: number,
  end: number,
  emit: (index: number, position: number, length: number) => void,
): number {
  let c1 = 32;
  let c2 = 32;
  let c3 = 32;
  let c4 = 32;
  let count = 0;
  let wordHash = SEED_WORD;
  let inWord = false;
  let prevWord = 0;
  let hasPrev = false;
  for (let i = start; i <= end; i++) {
    const c0 = i < end ? fold(text.charCodeAt(i)) : 32;
    if (c0 === 32 && c1 === 32) continue;
    // Character n-grams ending at this character (the leading/trailing space marks word edges).
    let h = Math.imul(SEED_CHAR[3] ^ c2, FNV_PRIME);
    h = Math.imul(h ^ c1, FNV_PRIME);
    h = Math.imul(h ^ c0, FNV_PRIME);
    emit((h ^ (h >>> 15)) & FEATURE_MASK, i, 3);
    let h4 = Math.imul(SEED_CHAR[4] ^ c3, FNV_PRIME);
    h4 = Math.imul(h4 ^ c2, FNV_PRIME);
    h4 = Math.imul(h4 ^ c1, FNV_PRIME);
    h4 = Math.imul(h4 ^ c0, FNV_PRIME);
    emit((h4 ^ (h4 >>> 15)) & FEATURE_MASK, i, 4);
    let h5 = Math.imul(SEED_CHAR[5] ^ c4, FNV_PRIME);
    h5 = Math.imul(h5 ^ c3, FNV_PRIME);
    h5 = Math.imul(h5 ^ c2, FNV_PRIME);
    h5 = Math.imul(h5 ^ c1, FNV_PRIME);
    h5 = Math.imul(h5 ^ c0, FNV_PRIME);
    emit((h5 ^ (h5 >>> 15)) & FEATURE_MASK, i, 5);
    count += 3;
    // Words: unigram on each word end, bigram with the previous word.
    if (wordChar(c0)) {
      wordHash = Math.imul(wordHash ^ c0, FNV_PRIME);
      inWord = true;
    } else if (inWord) {
      const w = wordHash ^ (wordHash >>> 13);
      emit(Math.imul(w, 0x5bd1e995) & FEATURE_MASK, i, 0);
      count++;
      if (hasPrev) {
        const b = Math.imul(Math.imul(SEED_BIGRAM ^ prevWord, FNV_PRIME) ^ w, 0x5bd1e995);
        emit((b ^ (b >>> 16)) & FEATURE_MASK, i, -1);
        count++;
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
  return count;
}

/** Sparse feature vector of a text: sorted unique indices and their counts. */
export function featureCounts(text: string): { indices: Int32Array; counts: Float32Array; total: number } {
  const raw: number[] = [];
  const total = forEachFeature(text, 0, text.length, (index) => raw.push(index));
  raw.sort((a, b) => a - b);
  const indices: number[] = [];
  const counts: number[] = [];
  for (const x of raw) {
    if (indices.length > 0 && indices[indices.length - 1] === x)
      counts[counts.length - 1] = (counts.at(-1) ?? 0) + 1;
    else {
      indices.push(x);
      counts.push(1);
    }
  }
  return { indices: Int32Array.from(indices), counts: Float32Array.from(counts), total };
}
