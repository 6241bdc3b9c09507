import { readFileSync } from 'node:fs';
import type { PiiCandidate, PiiEntity } from './entities.ts';
import { GAZETTEER } from './gazetteer.ts';

// PERSON / LOCATION / ORGANIZATION: a small averaged-perceptron tagger (BIO labels, greedy
// left-to-right decoding) trained by ./train-names.ts on Presidio's synthetic data. Features are
// word identity, shape, affixes and a two-token window, hashed into a fixed table so that the hot
// path is integer arithmetic and typed-array reads (no per-token strings); the weights ship as
// names-model.json.

export const LABELS = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC', 'B-ORG', 'I-ORG'] as const;
export type Label = (typeof LABELS)[number];
export const LABEL_COUNT = LABELS.length;
const ENTITY_OF: readonly (PiiEntity | undefined)[] = [
  undefined,
  'PERSON',
  'PERSON',
  'LOCATION',
  'LOCATION',
  'ORGANIZATION',
  'ORGANIZATION',
];
/** Hash-table size of the feature weights (each bucket holds one weight per label). */
export const BUCKETS = 1 << 15;
const BUCKET_MASK = BUCKETS - 1;
export const FEATURES_PER_TOKEN = 21;

/** Tokens as parallel arrays: offsets plus the hashes the features need. */
export interface Tokens {
  readonly count: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** FNV-1a of the lower-cased token (signed 32-bit). */
  readonly word: Int32Array;
  readonly shape: Int32Array;
  readonly prefix3: Int32Array;
  readonly suffix3: Int32Array;
  readonly suffix2: Int32Array;
  readonly length: Uint8Array;
  /** 1 when the token starts with an upper-case letter or a digit. */
  readonly capitalOrDigit: Uint8Array;
  /** 1 when a line break separates the token from the previous one (or it is the first). */
  readonly lineStart: Uint8Array;
}

const LETTER_OR_MARK = /[\p{L}\p{M}]/u;
const NUMERIC = /\p{N}/u;
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const SPACE_CHAR = /\s/u;

const SPACE = 0;
const LETTER = 1;
const DIGIT = 2;
const OTHER = 3;

// Character classes by code unit; Unicode property tests run only for non-ASCII characters.
function kindOf(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return LETTER;
  if (c >= 48 && c <= 57) return DIGIT;
  if (c === 32 || c === 10 || c === 9 || c === 13) return SPACE;
  if (c < 128) return OTHER;
  const ch = text.charAt(i);
  if (LETTER_OR_MARK.test(ch)) return LETTER;
  if (NUMERIC.test(ch)) return DIGIT;
  return SPACE_CHAR.test(ch) ? SPACE : OTHER;
}

function lowerCode(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 65 && c <= 90) return c + 32;
  if (c < 128) return c;
  return text.charAt(i).toLowerCase().charCodeAt(0);
}

const SHAPE_UPPER = 88;
const SHAPE_LOWER = 120;
const SHAPE_DIGIT = 100;
function shapeCode(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 65 && c <= 90) return SHAPE_UPPER;
  if (c >= 97 && c <= 122) return SHAPE_LOWER;
  if (c >= 48 && c <= 57) return SHAPE_DIGIT;
  if (c < 128) return c;
  const ch = text.charAt(i);
  return UPPER.test(ch) ? SHAPE_UPPER : LOWER.test(ch) ? SHAPE_LOWER : NUMERIC.test(ch) ? SHAPE_DIGIT : c;
}

// Hashes stay signed 32-bit integers throughout (V8 small integers; no conversion to doubles).
const FNV_OFFSET = 0x811c9dc5 | 0;
const fnv = (h: number, code: number): number => Math.imul(h ^ code, 0x01000193);

type Buffers = ReturnType<typeof allocate>;
function allocate(size: number) {
  return {
    start: new Int32Array(size),
    end: new Int32Array(size),
    word: new Int32Array(size),
    shape: new Int32Array(size),
    prefix3: new Int32Array(size),
    suffix3: new Int32Array(size),
    suffix2: new Int32Array(size),
    length: new Uint8Array(size),
    capitalOrDigit: new Uint8Array(size),
    lineStart: new Uint8Array(size),
  };
}

// Scanning is synchronous, so one reusable set of buffers serves every call (a text has at most
// one token per code unit). It grows up to SCRATCH_LIMIT; longer texts get their own buffers,
// released with the call, so one huge request does not pin memory for the process's life.
const SCRATCH_LIMIT = 1 << 16;
let scratch: Buffers = allocate(4096);
function scratchFor(size: number): Buffers {
  if (size > SCRATCH_LIMIT) return allocate(size);
  if (scratch.start.length < size)
    scratch = allocate(Math.min(SCRATCH_LIMIT, Math.max(size, scratch.start.length * 2)));
  return scratch;
}

/**
 * Words (letters and marks, with inner apostrophes and one trailing full stop, so "Apt." and
 * "O'Neil" stay whole), digit runs, and single other characters. One pass computes the hashes.
 * The arrays are views of shared scratch space, valid until the next call, unless `keep` is set.
 */
export function tokenize(text: string, keep = false): Tokens {
  const max = text.length;
  const t = keep ? allocate(max) : scratchFor(max);
  let count = 0;
  let newline = true;
  let i = 0;
  while (i < max) {
    const kind = kindOf(text, i);
    if (kind === SPACE) {
      if (text.charCodeAt(i) === 10) newline = true;
      i++;
      continue;
    }
    const from = i;
    i++;
    if (kind === LETTER) {
      for (;;) {
        while (i < max && kindOf(text, i) === LETTER) i++;
        const c = text.charCodeAt(i);
        if ((c === 39 || c === 0x2019) && i + 1 < max && kindOf(text, i + 1) === LETTER) i++;
        else break;
      }
      if (text.charCodeAt(i) === 46) i++;
    } else if (kind === DIGIT) {
      while (i < max && kindOf(text, i) === DIGIT) i++;
    }
    // Hashes: whole word, first three and last three / two characters (lower case), and the
    // shape with repeats collapsed (Xxxx → Xx).
    let word = FNV_OFFSET;
    let prefix = FNV_OFFSET;
    let shape = FNV_OFFSET;
    let lastShape = -1;
    let c1 = -1;
    let c2 = -1;
    let c3 = -1;
    for (let k = from; k < i; k++) {
      // ASCII inline (one code-unit read); the Unicode-aware helpers only for other characters.
      const c = text.charCodeAt(k);
      let lower = c;
      let s = c;
      if (c >= 65 && c <= 90) {
        lower = c + 32;
        s = SHAPE_UPPER;
      } else if (c >= 97 && c <= 122) {
        s = SHAPE_LOWER;
      } else if (c >= 48 && c <= 57) {
        s = SHAPE_DIGIT;
      } else if (c >= 128) {
        lower = lowerCode(text, k);
        s = shapeCode(text, k);
      }
      word = fnv(word, lower);
      if (k - from < 3) prefix = fnv(prefix, lower);
      c1 = c2;
      c2 = c3;
      c3 = lower;
      if (s !== lastShape) shape = fnv(shape, s);
      lastShape = s;
    }
    let suffix2 = FNV_OFFSET;
    if (c2 >= 0) suffix2 = fnv(suffix2, c2);
    suffix2 = fnv(suffix2, c3);
    const suffix3 = c1 >= 0 ? fnv(fnv(fnv(FNV_OFFSET, c1), c2), c3) : suffix2;
    const first = shapeCode(text, from);
    t.start[count] = from;
    t.end[count] = i;
    t.word[count] = word;
    t.shape[count] = shape;
    t.prefix3[count] = prefix;
    t.suffix3[count] = suffix3;
    t.suffix2[count] = suffix2;
    t.length[count] = Math.min(i - from, 8);
    t.capitalOrDigit[count] = first === SHAPE_UPPER || first === SHAPE_DIGIT ? 1 : 0;
    t.lineStart[count] = newline ? 1 : 0;
    newline = false;
    count++;
  }
  return {
    count,
    start: t.start.subarray(0, count),
    end: t.end.subarray(0, count),
    word: t.word.subarray(0, count),
    shape: t.shape.subarray(0, count),
    prefix3: t.prefix3.subarray(0, count),
    suffix3: t.suffix3.subarray(0, count),
    suffix2: t.suffix2.subarray(0, count),
    length: t.length.subarray(0, count),
    capitalOrDigit: t.capitalOrDigit.subarray(0, count),
    lineStart: t.lineStart.subarray(0, count),
  };
}

function wordHash(word: string): number {
  let h = FNV_OFFSET;
  for (let k = 0; k < word.length; k++) h = fnv(h, lowerCode(word, k));
  return h;
}

// Capitalised only because they start a sentence: never the start of a name, so the tagger
// skips them (a large share of capitalised tokens in ordinary prose).
const FUNCTION_WORDS: ReadonlySet<number> = new Set(
  (
    'a an the i you he she it we they me him her us them my your his its our their this that these those ' +
    'if in on at to for of from by with about as and or but not no yes do does did is are was were be been ' +
    'have has had can could will would should shall may might must please when where what who whom which ' +
    'why how there here then so also all any each every some one after before while during because ' +
    'write generate use make let tell give create explain describe imagine act ignore now hi hello thanks ' +
    'dear mr. mrs. ms. dr. note example question answer user assistant system'
  )
    .split(' ')
    .map(wordHash),
);

const GAZETTEER_BY_HASH: ReadonlyMap<number, number> = new Map(
  [...GAZETTEER].map(([word, cls]) => [wordHash(word), cls]),
);

/** Tokens the tagger looks at: capitalised words, numbers, and whatever continues an entity. */
export function isCandidate(tokens: Tokens, i: number, previousLabel: number): boolean {
  if (previousLabel !== 0) return true;
  return tokens.capitalOrDigit[i] === 1 && !FUNCTION_WORDS.has(tokens.word[i] ?? 0);
}

const BEFORE = 0x51ed270b;
const AFTER = 0x2f7a3c91;

function bucket(template: number, a: number, b = 0): number {
  let h = Math.imul(template + 1, 0x9e3779b1) ^ a;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h ^= b;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return h & BUCKET_MASK;
}

/** Fills `out` with the feature buckets of token i given the previous token's label. */
export function features(tokens: Tokens, i: number, previousLabel: number, out: Int32Array): void {
  const word = tokens.word[i] ?? 0;
  const shape = tokens.shape[i] ?? 0;
  const prev = i > 0 ? (tokens.word[i - 1] ?? 0) : BEFORE;
  out[0] = bucket(0, 0);
  out[1] = bucket(1, word);
  out[2] = bucket(2, shape);
  out[3] = bucket(3, tokens.prefix3[i] ?? 0);
  out[4] = bucket(4, tokens.suffix3[i] ?? 0);
  out[5] = bucket(5, tokens.suffix2[i] ?? 0);
  out[6] = bucket(6, tokens.length[i] ?? 0);
  out[7] = bucket(7, prev);
  out[8] = bucket(8, i > 1 ? (tokens.word[i - 2] ?? 0) : BEFORE);
  out[9] = bucket(9, i + 1 < tokens.count ? (tokens.word[i + 1] ?? 0) : AFTER);
  out[10] = bucket(10, i + 2 < tokens.count ? (tokens.word[i + 2] ?? 0) : AFTER);
  out[11] = bucket(11, i + 1 < tokens.count ? (tokens.shape[i + 1] ?? 0) : AFTER);
  out[12] = bucket(12, i > 0 ? (tokens.shape[i - 1] ?? 0) : BEFORE);
  out[13] = bucket(13, previousLabel);
  out[14] = bucket(14, previousLabel, shape);
  out[15] = bucket(15, previousLabel, word);
  out[16] = bucket(16, prev, word);
  out[17] = bucket(17, tokens.lineStart[i] ?? 0, shape);
  out[18] = bucket(18, GAZETTEER_BY_HASH.get(word) ?? 0);
  out[19] = bucket(19, i + 1 < tokens.count ? (GAZETTEER_BY_HASH.get(tokens.word[i + 1] ?? 0) ?? 0) : 9);
  out[20] = bucket(20, i > 0 ? (GAZETTEER_BY_HASH.get(prev) ?? 0) : 9);
}

/**
 * Weights are stored SLOTS per bucket (labels padded to a power of two) so that one feature's
 * weights share a cache line; the shipped table is Int16 in thousandths.
 */
export const SLOTS = 8;
export const WEIGHT_SCALE = 1000;

/** Best label index for one token's features. */
export function predict(weights: ArrayLike<number>, feats: Int32Array): number {
  // One accumulator per label, unrolled: the hot loop of the tagger stays in registers.
  let o = 0;
  let bPer = 0;
  let iPer = 0;
  let bLoc = 0;
  let iLoc = 0;
  let bOrg = 0;
  let iOrg = 0;
  for (let j = 0; j < feats.length; j++) {
    const base = (feats[j] ?? 0) * SLOTS;
    o += weights[base] ?? 0;
    bPer += weights[base + 1] ?? 0;
    iPer += weights[base + 2] ?? 0;
    bLoc += weights[base + 3] ?? 0;
    iLoc += weights[base + 4] ?? 0;
    bOrg += weights[base + 5] ?? 0;
    iOrg += weights[base + 6] ?? 0;
  }
  let best = 0;
  let top = o;
  if (bPer > top) [best, top] = [1, bPer];
  if (iPer > top) [best, top] = [2, iPer];
  if (bLoc > top) [best, top] = [3, bLoc];
  if (iLoc > top) [best, top] = [4, iLoc];
  if (bOrg > top) [best, top] = [5, bOrg];
  if (iOrg > top) best = 6;
  return best;
}

/** Label indices for a whole text with greedy left-to-right tagging. */
export function tag(tokens: Tokens, weights: ArrayLike<number>): Uint8Array {
  const labels = new Uint8Array(tokens.count);
  const feats = new Int32Array(FEATURES_PER_TOKEN);
  let previous = 0;
  for (let i = 0; i < tokens.count; i++) {
    let label = 0;
    if (isCandidate(tokens, i, previous)) {
      features(tokens, i, previous, feats);
      label = predict(weights, feats);
    }
    labels[i] = label;
    previous = label;
  }
  return labels;
}

/** Entity spans from BIO labels: a B- starts a span, an I- of the same kind extends it. */
export interface NameSpan {
  /** 1 PER, 2 LOC, 3 ORG. */
  kind: number;
  start: number;
  end: number;
  firstToken: number;
  lastToken: number;
}

/** Entity spans from BIO labels: a B- starts a span, an I- of the same kind extends it. */
export function spansOf(tokens: Tokens, labels: Uint8Array): NameSpan[] {
  const out: NameSpan[] = [];
  let open: NameSpan | undefined;
  for (let i = 0; i < tokens.count; i++) {
    const label = labels[i] ?? 0;
    const kind = (label + 1) >> 1;
    const inside = label !== 0 && label % 2 === 0;
    if (label === 0) {
      open = undefined;
    } else if (inside && open?.kind === kind) {
      open.end = tokens.end[i] ?? open.end;
      open.lastToken = i;
    } else {
      open = { kind, start: tokens.start[i] ?? 0, end: tokens.end[i] ?? 0, firstToken: i, lastToken: i };
      out.push(open);
    }
  }
  return out;
}

// Title Case prose ("The Quick Brown Fox Jumps Over The Lazy Dog", "Summarize This Article About…")
// reads to the tagger like one long name; real names rarely hold two capitalised function words,
// and names of people and organisations rarely run past six tokens.
const MAX_NAME_TOKENS = 6;
function looksLikeTitleCase(tokens: Tokens, span: NameSpan): boolean {
  // Postal addresses (LOCATION) run long; people's and organisations' names do not.
  if (span.kind !== 2 && span.lastToken - span.firstToken + 1 > MAX_NAME_TOKENS) return true;
  let functionWords = 0;
  for (let i = span.firstToken; i <= span.lastToken; i++) {
    if (tokens.capitalOrDigit[i] === 1 && FUNCTION_WORDS.has(tokens.word[i] ?? 0)) functionWords++;
  }
  return functionWords >= 2;
}

interface ModelFile {
  readonly labels: readonly string[];
  readonly buckets: number;
  /** [bucket, weight per label in thousandths…] for every bucket with a non-negligible weight. */
  readonly weights: readonly (readonly number[])[];
}

function loadModel(): Int16Array {
  const raw = JSON.parse(readFileSync(new URL('./names-model.json', import.meta.url), 'utf8')) as ModelFile;
  if (raw.labels.join() !== LABELS.join() || raw.buckets !== BUCKETS) {
    throw new Error('names-model.json was trained for other labels or another table size; retrain it');
  }
  const weights = new Int16Array(BUCKETS * SLOTS);
  for (const [b = 0, ...w] of raw.weights) weights.set(w, b * SLOTS);
  return weights;
}

let model: Int16Array | undefined;
const HAS_LETTER = /\p{L}/u;
const HAS_DIGIT = /\p{N}/u;
const SENTENCE_STOP = /\p{Ll}{3}\.$/u;
const NAME_SCORE = 0.75;
const KIND_TO_LABEL = [0, 1, 3, 5];

/** PERSON / LOCATION / ORGANIZATION spans found by the tagger. */
export function findNames(text: string): PiiCandidate[] {
  model ??= loadModel();
  const tokens = tokenize(text);
  return namesFromLabels(text, tokens, tag(tokens, model));
}

/** Turns tagger labels into reported spans (shared with the training script's cross-validation). */
export function namesFromLabels(text: string, tokens: Tokens, labels: Uint8Array): PiiCandidate[] {
  const spans = spansOf(tokens, labels);
  const worded = spans.map((span) => HAS_LETTER.test(text.slice(span.start, span.end)));
  const out: PiiCandidate[] = [];
  spans.forEach((span, i) => {
    const entity = ENTITY_OF[KIND_TO_LABEL[span.kind] ?? 0];
    if (entity === undefined) return;
    // A bare number (house number, postcode) counts only right next to a worded name span: on its
    // own it is just a number. Punctuation alone (table pipes) never counts.
    if (worded[i] !== true) {
      const numeric = HAS_DIGIT.test(text.slice(span.start, span.end));
      if (!numeric || !spans.some((other, j) => worded[j] === true && near(span, other))) return;
    }
    if (looksLikeTitleCase(tokens, span)) return;
    const value = text.slice(span.start, span.end);
    out.push({
      entity,
      start: span.start,
      // A sentence's full stop is not part of the name; abbreviations such as "Inc." or "St." are.
      end: SENTENCE_STOP.test(value) ? span.end - 1 : span.end,
      score: NAME_SCORE,
      reason: 'name found by the entity tagger',
    });
  });
  return out;
}

const NEAR = 3;
function near(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return (b.start >= a.end && b.start - a.end <= NEAR) || (a.start >= b.end && a.start - b.end <= NEAR);
}
