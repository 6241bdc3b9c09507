/**
 * Tool-name globs: `*` matches any run of characters, `?` exactly one, everything else itself.
 * Compiled once into literal pieces and matched without regular expressions, so a pattern can
 * never backtrack exponentially (worst case is linear in name length times star count).
 */
export type GlobMatcher = (name: string) => boolean;

export function compileGlob(pattern: string): GlobMatcher {
  if (!pattern.includes('*') && !pattern.includes('?')) return (name) => name === pattern;
  if (pattern === '*') return () => true;
  const pieces = pattern.split('*');
  const first = pieces[0] ?? '';
  const last = pieces.length > 1 ? (pieces[pieces.length - 1] ?? '') : '';
  const middle = pieces.slice(1, -1);
  const hasStar = pieces.length > 1;

  return (name) => {
    if (!hasStar) return name.length === first.length && matchAt(name, 0, first);
    if (name.length < first.length + last.length) return false;
    if (!matchAt(name, 0, first)) return false;
    const tailStart = name.length - last.length;
    if (!matchAt(name, tailStart, last)) return false;
    // Greedy-leftmost placement of the middle pieces is optimal between two fixed ends.
    let at = first.length;
    for (const piece of middle) {
      const found = indexOfPiece(name, piece, at, tailStart);
      if (found < 0) return false;
      at = found + piece.length;
    }
    return true;
  };
}

/** `piece` (which may contain `?`) occurs in `name` at `offset`. */
function matchAt(name: string, offset: number, piece: string): boolean {
  if (offset + piece.length > name.length) return false;
  for (let i = 0; i < piece.length; i++) {
    const p = piece.charCodeAt(i);
    if (p !== 63 /* ? */ && p !== name.charCodeAt(offset + i)) return false;
  }
  return true;
}

function indexOfPiece(name: string, piece: string, from: number, limit: number): number {
  for (let at = from; at + piece.length <= limit; at++) if (matchAt(name, at, piece)) return at;
  return -1;
}
