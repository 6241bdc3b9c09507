/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

// Values people write in docs, samples and templates instead of a real credential.
const PLACEHOLDER_WORDS =
  /example|sample|dummy|placeholder|changeme|change_me|redacted|insert|replace|your[_-]?(?:api|key|token|secret|pass)|(?:^|[^a-z])fake|xxxx|\*{3}|#{3}|\.{3}|<[^<>]{0,64}>|\$\{|\$\(|\{\{|%\(|%\{|^\$[a-z_]/i;
const TRIVIAL_VALUES = new Set([
  'test',
  'testing',
  'password',
  'passwd',
  'secret',
  'token',
  'null',
  'none',
  'nil',
  'undefined',
  'true',
  'false',
  'admin',
  'root',
  'pass',
  'default',
  'user',
  'username',
  'guest',
  'qwerty',
  'letmein',
  'key',
  'apikey',
  'api_key',
  'value',
  'string',
  'empty',
  'mypassword',
  'mysecret',
  'foobar',
  'foo',
  'bar',
]);

function longestRepeat(value: string): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < value.length; i++) {
    run = i > 0 && value[i] === value[i - 1] ? run + 1 : 1;
    if (run > best) best = run;
  }
  return best;
}

function runCount(value: string): number {
  let runs = 1;
  for (let i = 1; i < value.length; i++) if (value[i] !== value[i - 1]) runs++;
  return runs;
}

/** Longest run of characters that each follow the previous one in code order (abcdef, 123456). */
function longestSequence(value: string): number {
  let best = 1;
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    run = value.charCodeAt(i) === value.charCodeAt(i - 1) + 1 ? run + 1 : 1;
    if (run > best) best = run;
  }
  return best;
}

/**
 * True for values that are not real credentials: template variables, documentation examples
 * (AWS's `…EXAMPLE` keys), masked values, keyboard runs and single repeated characters.
 */
export function isPlaceholder(value: string): boolean {
  if (value.length === 0) return true;
  if (TRIVIAL_VALUES.has(value.toLowerCase())) return true;
  if (PLACEHOLDER_WORDS.test(value)) return true;
  if (longestRepeat(value) >= Math.max(6, value.length * 0.4)) return true;
  if (longestSequence(value) >= 8) return true;
  // A handful of long runs (aaaaaaaaaa1111111111…) is typed, not generated.
  if (value.length >= 16 && runCount(value) <= value.length / 4) return true;
  return new Set(value).size <= 3;
}
