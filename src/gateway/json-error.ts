/**
 * Where a JSON text first goes wrong, as a UTF-16 offset, so `invalid_json` errors can point at the
 * spot. V8's messages carry a position only for some errors ("Unexpected token" has none), so the
 * text is re-read by this small validator — only on the failure path, never for valid bodies.
 * Iterative, with an explicit stack, so deeply nested input cannot overflow the call stack.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const stack: ('object' | 'array')[] = [];
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r'))
      i++;
  };
  const string = (): boolean => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        // Errors point at the character after the backslash, as V8's own messages do.
        const e = text[++i];
        if (e === 'u') {
          if (!/^[\da-f]{4}$/i.test(text.slice(i + 1, i + 5))) return false;
          i += 5;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) return false;
        i++;
        continue;
      }
      i++;
    }
    return false;
  };
  const scalar = (): boolean => {
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return true;
      }
    }
    const match = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:e[+-]?\d+)?/iy;
    match.lastIndex = i;
    if (!match.test(text)) return false;
    i = match.lastIndex;
    return true;
  };
  // Reads one value; containers push a frame and return, their members are read by the loop below.
  // Opening brackets loop here rather than recurse, so `[[[[…` nests in `stack`, not the call stack.
  const value = (): boolean => {
    for (;;) {
      ws();
      const c = text[i];
      if (c === '"') return string();
      if (c !== '{' && c !== '[') return scalar();
      i++;
      ws();
      if (text[i] === (c === '{' ? '}' : ']')) {
        i++;
        return true;
      }
      stack.push(c === '{' ? 'object' : 'array');
      if (c === '{') return member();
    }
  };
  const member = (): boolean => {
    ws();
    if (text[i] !== '"' || !string()) return false;
    ws();
    if (text[i] !== ':') return false;
    i++;
    return value();
  };
  if (!value()) return i;
  while (stack.length > 0) {
    ws();
    const top = stack.at(-1);
    const close = top === 'object' ? '}' : ']';
    if (text[i] === close) {
      i++;
      stack.pop();
      continue;
    }
    if (text[i] !== ',') return i;
    i++;
    if (!(top === 'object' ? member() : value())) return i;
  }
  ws();
  return i < text.length ? i : undefined;
}
