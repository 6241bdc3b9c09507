/** Whether a code point is a letter, as `\p{L}` with the u flag matches it (cached beyond ASCII). */
const LETTER = /\p{L}/u;
const cache = new Map<number, boolean>();

export function isLetterCode(cp: number): boolean {
  if (cp < 128) return (cp | 32) >= 97 && (cp | 32) <= 122;
  let v = cache.get(cp);
  if (v === undefined) {
    v = LETTER.test(String.fromCodePoint(cp));
    if (cache.size < 65536) cache.set(cp, v);
  }
  return v;
}
