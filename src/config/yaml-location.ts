import { isMap, isSeq, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';

/** A 1-based position in a source file. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A parsed YAML document that can answer "which line is this field on?". */
export interface LocatedYaml {
  readonly value: unknown;
  /** YAML syntax errors, already located. */
  readonly syntaxErrors: readonly { readonly message: string; readonly position: SourcePosition }[];
  /**
   * Position of the deepest node along `path` that exists (the document start when none does):
   * the value, or with `atKey` the key of the last step (for "unknown key" errors).
   */
  locate(path: readonly PropertyKey[], atKey?: boolean): SourcePosition;
}

export function parseLocatedYaml(text: string): LocatedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return {
    value: doc.errors.length === 0 ? (doc.toJS() as unknown) : undefined,
    syntaxErrors: doc.errors.map((e) => ({
      message: e.message.split('\n')[0] ?? e.message,
      position: position(e.pos[0]),
    })),
    locate: (path, atKey = false) => position(offsetOf(doc, path, atKey)),
  };
}

function offsetOf(doc: Document, path: readonly PropertyKey[], atKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const [index, key] of path.entries()) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      // Point at the value when it exists, else at the key (e.g. `port:` with nothing after it).
      next =
        pair === undefined
          ? undefined
          : atKey && index === path.length - 1
            ? pair.key
            : (pair.value ?? pair.key);
    } else if (isSeq(node) && typeof key === 'number') {
      next = node.items[key];
    }
    const start = rangeStart(next);
    if (start === undefined) break;
    node = next;
    offset = start;
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const range = (node as { range?: readonly number[] | null }).range;
  return range?.[0];
}
