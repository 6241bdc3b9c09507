/**
 * The hashed n-gram logistic-regression classifier and its model file. The text is cut into
 * windows (lines grouped to a useful length, long lines split) so that one injected sentence in a
 * long document is scored on its own as well as with the whole text: long inputs are scanned whole,
 * in one pass, with no token window.
 */
import { readFileSync } from 'node:fs';
import {
  beginText,
  FEATURE_BITS,
  scoreWindow,
  scoreWith,
  TEXT_COUNT,
  TEXT_SUM,
  WINDOW_COUNT,
  WINDOW_SUM,
} from './features.ts';
import type { WeightLevels } from './features.ts';
import { VOCABULARY_WORDS } from './vocabulary.ts';

/**
 * The combiner: a small network over the stacked signals. Each signal is standardised
 * (`(x - mean) / std`), a tanh hidden layer follows (`hiddenWeights` row-major, one row of
 * `names.length` weights per hidden unit), and `weights`/`bias` turn the hidden units into a logit.
 */
export interface CombinerModel {
  /** Names of the stacked signals, in input order (see `signalVector`). */
  readonly names: readonly string[];
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly hiddenWeights: readonly number[];
  readonly hiddenBias: readonly number[];
  readonly weights: readonly number[];
  readonly bias: number;
}

export interface InjectionModelFile {
  readonly format: 'parapet-injection-v2';
  readonly featureBits: number;
  /** Int8-quantised weights, base64; weight = byte * scale. */
  readonly weights: string;
  readonly scale: number;
  readonly bias: number;
  readonly combiner: CombinerModel;
  /** Default thresholds on the calibrated score: user input and untrusted content. */
  readonly thresholds: { readonly prompt: number; readonly untrusted: number };
  /** Where the model came from; shown by eval and documented in docs/injection.md. */
  readonly provenance: Readonly<Record<string, unknown>>;
  /** Sorted 32-bit hashes of the training texts (base64), so eval can refuse to test on them. */
  readonly trainingTextHashes: string;
  /** Bit set of known English word hashes (base64; see vocabulary.ts). */
  readonly knownWords: string;
}

export interface LinearModel {
  /** One weight per feature bucket; never changed once the model is built (scoring keeps tables made from it). */
  readonly weights: Float32Array;
  readonly bias: number;
  /** The same weights as the model file's bytes: a loaded model has them, and is scored from them (a smaller table). */
  readonly levels?: WeightLevels;
}

export interface LoadedModel {
  readonly linear: LinearModel;
  readonly combiner: CombinerModel;
  readonly thresholds: { readonly prompt: number; readonly untrusted: number };
  readonly provenance: Readonly<Record<string, unknown>>;
  readonly trainingTextHashes: Uint32Array;
  /** Bit set of known English word hashes (see vocabulary.ts). */
  readonly knownWords: Int32Array;
  readonly bytes: number;
}

export function decodeModel(file: InjectionModelFile, bytes = 0): LoadedModel {
  // The file is read from disk, so its declared type is a claim to check, not a fact.
  const format: unknown = file.format;
  if (format !== 'parapet-injection-v2' || file.featureBits !== FEATURE_BITS) {
    throw new Error(
      `unsupported injection model (format ${String(format)}, ${file.featureBits} feature bits)`,
    );
  }
  const c = file.combiner;
  const units = c.weights.length;
  const inputs = c.names.length;
  if (
    units === 0 ||
    c.hiddenWeights.length !== units * inputs ||
    c.hiddenBias.length !== units ||
    c.mean.length !== inputs ||
    c.std.length !== inputs
  ) {
    throw new Error(
      `injection model: combiner shapes disagree (${inputs} signals, ${units} units, ` +
        `${c.hiddenWeights.length} hidden weights, ${c.hiddenBias.length} hidden biases)`,
    );
  }
  const raw = Buffer.from(file.weights, 'base64');
  if (raw.length !== 1 << FEATURE_BITS) throw new Error('injection model: weight table has the wrong size');
  // Each byte is an int8 level; its weight rounded to float32, as the weight table holds it.
  const levelWeights = Float64Array.from({ length: 256 }, (_, level) =>
    Math.fround(((level << 24) >> 24) * file.scale),
  );
  const levels = new Uint8Array(raw);
  const weights = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) weights[i] = levelWeights[levels[i] ?? 0] ?? 0;
  const hashBytes = Buffer.from(file.trainingTextHashes, 'base64');
  const hashes = new Uint32Array(
    hashBytes.buffer.slice(hashBytes.byteOffset, hashBytes.byteOffset + hashBytes.length),
  );
  // Checked before use: a model file from before the vocabulary has none.
  const vocabulary: unknown = file.knownWords;
  const wordBytes = typeof vocabulary === 'string' ? Buffer.from(vocabulary, 'base64') : Buffer.alloc(0);
  if (wordBytes.length !== VOCABULARY_WORDS * 4)
    throw new Error(
      'injection model: no known-word set of the right size; retrain it with `npm run train:injection`',
    );
  const knownWords = new Int32Array(
    wordBytes.buffer.slice(wordBytes.byteOffset, wordBytes.byteOffset + wordBytes.length),
  );
  return {
    linear: { weights, bias: file.bias, levels: { levels, weights: levelWeights } },
    combiner: file.combiner,
    thresholds: file.thresholds,
    provenance: file.provenance,
    trainingTextHashes: hashes,
    knownWords,
    bytes,
  };
}

export function encodeWeights(weights: Float32Array): { weights: string; scale: number } {
  let max = 0;
  for (const w of weights) max = Math.max(max, Math.abs(w));
  const scale = max > 0 ? max / 127 : 1;
  const bytes = new Int8Array(weights.length);
  for (let i = 0; i < weights.length; i++) bytes[i] = Math.round((weights[i] ?? 0) / scale);
  return { weights: Buffer.from(bytes.buffer).toString('base64'), scale };
}

export function loadModelFile(path: string): LoadedModel {
  const text = readFileSync(path, 'utf8');
  return decodeModel(JSON.parse(text) as InjectionModelFile, Buffer.byteLength(text));
}

/** FNV-1a of a whitespace/case-normalised text: the identity used for train/eval overlap. */
export function textHash(text: string): number {
  const key = text.toLowerCase().replace(/\s+/g, ' ').trim();
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function hasHash(sorted: Uint32Array, h: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid] ?? 0;
    if (v === h) return true;
    if (v < h) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export interface Window {
  readonly start: number;
  readonly end: number;
}

const MIN_WINDOW = 80;
const MAX_WINDOW = 600;

/** Lines grouped until at least MIN_WINDOW long; lines over MAX_WINDOW split at a space. */
export function windowsOf(text: string): Window[] {
  const windows: Window[] = [];
  let start = 0;
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    let end = nl < 0 ? text.length : nl + 1;
    if (end - start > MAX_WINDOW) {
      const cut = text.lastIndexOf(' ', start + MAX_WINDOW);
      end = cut > start + MIN_WINDOW ? cut + 1 : start + MAX_WINDOW;
      windows.push({ start, end });
      start = end;
      at = end;
      continue;
    }
    at = end;
    if (end - start >= MIN_WINDOW || end >= text.length) {
      windows.push({ start, end });
      start = end;
    }
  }
  if (start < text.length) windows.push({ start, end: text.length });
  return windows;
}

export interface ClassifierScores {
  /** Logit of the whole text. */
  readonly whole: number;
  /** Highest window logit and its window. */
  readonly windowMax: number;
  /** Mean window logit, weighted by each window's number of features (long texts are judged by
   * their passages, where the whole-text vector dilutes a jailbreak spread over pages). */
  readonly windowMean: number;
  readonly window: Window;
}

// Features are binary (present or not) and scaled by 1/sqrt(number present): repeated phrases do
// not outweigh varied evidence (features.ts's `scoreWindow` tracks presence and sums).

/** Sums and counts of the window being scored and of the text so far (see `scoreWindow`). */
const tally = new Float64Array(4);

/** Whole-text and best-window logits, in one pass over the text. */
export function classify(model: LinearModel, text: string): ClassifierScores {
  scoreWith(model.weights, model.levels);
  beginText();
  tally.fill(0);
  let best = -Infinity;
  let bestWindow: Window = { start: 0, end: text.length };
  let weightedLogits = 0;
  let windowFeatures = 0;
  for (const win of windowsOf(text)) {
    scoreWindow(text, win.start, win.end, tally);
    const sum = tally[WINDOW_SUM] ?? 0;
    const count = tally[WINDOW_COUNT] ?? 0;
    if (count === 0) continue;
    const logit = model.bias + sum / Math.sqrt(count);
    weightedLogits += logit * count;
    windowFeatures += count;
    // Tiny windows (a table row, a signature) are too short to judge alone.
    if (count >= 50 && logit > best) {
      best = logit;
      bestWindow = win;
    }
  }
  const totalSum = tally[TEXT_SUM] ?? 0;
  const totalCount = tally[TEXT_COUNT] ?? 0;
  const whole = totalCount > 0 ? model.bias + totalSum / Math.sqrt(totalCount) : model.bias;
  return {
    whole,
    windowMax: Number.isFinite(best) ? best : whole,
    windowMean: windowFeatures > 0 ? weightedLogits / windowFeatures : whole,
    window: bestWindow,
  };
}
