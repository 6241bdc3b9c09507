/**
 * Known English words, for the adversarial-suffix signal: an optimised suffix (GCG and its kin)
 * is a run of word pieces, odd spellings and glued tokens after a plainly written request, so the
 * share of known words drops from the text's body to its end. The vocabulary is a bit set of word
 * hashes (`hashWord`) built from the project's own benign English examples, never from the
 * development data, so the signal cannot learn the rows it is evaluated on.
 */
import type { WordScan } from './anchors.ts';
import { hashWord } from './anchors.ts';

const VOCABULARY_BITS = 16;
const VOCABULARY_MASK = (1 << VOCABULARY_BITS) - 1;
/** Size of the bit set in 32-bit words. */
export const VOCABULARY_WORDS = 1 << (VOCABULARY_BITS - 5);

/** The words at the end of a text that are read as its suffix, and how many before them are read as its body. */
const TAIL_WORDS = 15;
const BODY_WORDS = 150;
const MIN_WORDS = 20;

const WORD = /\p{L}+/gu;

/** The bit set of every word of `texts` (hashed as `scanWords` hashes words). */
export function buildVocabulary(texts: Iterable<string>): Int32Array {
  const bits = new Int32Array(VOCABULARY_WORDS);
  for (const text of texts)
    for (const [word] of text.matchAll(WORD)) {
      const h = hashWord(word) & VOCABULARY_MASK;
      bits[h >>> 5] = (bits[h >>> 5] ?? 0) | (1 << (h & 31));
    }
  return bits;
}

function known(bits: Int32Array, hash: number): number {
  const h = hash & VOCABULARY_MASK;
  return ((bits[h >>> 5] ?? 0) >>> (h & 31)) & 1;
}

/** Where the text's suffix (its last 15 words) starts, or 0 when it has fewer words. */
export function suffixStart(words: WordScan): number {
  const n = words.starts.length;
  return n >= TAIL_WORDS ? (words.starts[n - TAIL_WORDS] ?? 0) : 0;
}

/**
 * Known-word share of the text's body (up to 150 words before its last 15) minus that of its
 * last 15 words, at least 0; 0 for texts of fewer than 20 words or in other scripts. `words` is
 * the text's `scanWords` result.
 */
export function unknownTail(words: WordScan, bits: Int32Array): number {
  const n = words.hashes.length;
  if (n < MIN_WORDS || words.foreign) return 0;
  const bodyStart = Math.max(0, n - TAIL_WORDS - BODY_WORDS);
  let body = 0;
  for (let k = bodyStart; k < n - TAIL_WORDS; k++) body += known(bits, words.hashes[k] ?? 0);
  let tail = 0;
  for (let k = n - TAIL_WORDS; k < n; k++) tail += known(bits, words.hashes[k] ?? 0);
  return Math.max(0, body / (n - TAIL_WORDS - bodyStart) - tail / TAIL_WORDS);
}
