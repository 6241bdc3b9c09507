/**
 * The UTF-16 code units of a text in a typed array, for the character loops of the scanners.
 * Reading a typed array is cheaper than `charCodeAt`, most of all on strings V8 keeps as slices of
 * a larger string, and one native copy serves every pass over the same text.
 */

let units = new Uint16Array(4096);
let bytes = Buffer.from(units.buffer);
/** The text `units` holds (kept until another text is asked for, so at most one text is retained). */
let held: string | undefined;

/**
 * The code units of `text`, at indices `0 … text.length - 1`; the array is longer, so index
 * `text.length` is free for a loop's end marker. The array is shared and valid until `codeUnits`
 * is called for another text: a loop over it must not scan a second text meanwhile.
 */
export function codeUnits(text: string): Uint16Array {
  if (text === held) return units;
  if (units.length <= text.length) {
    units = new Uint16Array(Math.max(text.length + 1, units.length * 2));
    bytes = Buffer.from(units.buffer);
  }
  bytes.write(text, 0, 'utf16le');
  held = text;
  return units;
}
