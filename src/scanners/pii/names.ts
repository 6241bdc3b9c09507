import { readFileSync } from 'node:fs';
import type { PiiCandidate, PiiEntity } from './entities.ts';

// PERSON / LOCATION / ORGANIZATION: a small averaged-perceptron tagger (BIO labels, greedy
// left-to-right decoding) trained by ./train-names.ts on Presidio's synthetic data. Features are
// word identity, shape, affixes and a two-token window; the weights ship as names-model.json.

export const LABELS = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC', 'B-ORG', 'I-ORG'] as const;
export type Label = (typeof LABELS)[number];
const ENTITY_OF: Readonly<Record<string, PiiEntity>> = {
  PER: 'PERSON',
  LOC: 'LOCATION',
  ORG: 'ORGANIZATION',
};

export interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const TOKEN = /[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*\.?|\p{N}+|\S/gu;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN))
    tokens.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return tokens;
}

function shape(word: string): string {
  let out = '';
  let last = '';
  for (const ch of word) {
    const s = /\p{Lu}/u.test(ch) ? 'X' : /\p{Ll}/u.test(ch) ? 'x' : /\p{N}/u.test(ch) ? 'd' : ch;
    if (s !== last) out += s;
    last = s;
  }
  return out;
}

const CAPITAL_OR_DIGIT = /^[\p{Lu}\p{N}]/u;

/** Tokens the tagger looks at: capitalised words, numbers, and whatever continues an entity. */
export function isCandidate(token: Token, previousLabel: Label): boolean {
  return previousLabel !== 'O' || CAPITAL_OR_DIGIT.test(token.text);
}

function lineStart(text: string, tokens: readonly Token[], i: number): boolean {
  const prev = tokens[i - 1];
  if (prev === undefined) return true;
  return text.slice(prev.end, tokens[i]?.start ?? prev.end).includes('\n');
}

/** Feature names for token i; `previousLabel` is the label decoded (or gold, in training) for i-1. */
export function features(text: string, tokens: readonly Token[], i: number, previousLabel: Label): string[] {
  const word = tokens[i]?.text ?? '';
  const lower = word.toLowerCase();
  const prev = tokens[i - 1]?.text.toLowerCase() ?? '<s>';
  const prev2 = tokens[i - 2]?.text.toLowerCase() ?? '<s>';
  const next = tokens[i + 1]?.text ?? '</s>';
  const next2 = tokens[i + 2]?.text.toLowerCase() ?? '</s>';
  const wordShape = shape(word);
  return [
    'b',
    `w=${lower}`,
    `s=${wordShape}`,
    `p3=${lower.slice(0, 3)}`,
    `x3=${lower.slice(-3)}`,
    `x2=${lower.slice(-2)}`,
    `len=${Math.min(word.length, 8)}`,
    `pw=${prev}`,
    `ppw=${prev2}`,
    `nw=${next.toLowerCase()}`,
    `nnw=${next2}`,
    `ns=${shape(next)}`,
    `ps=${shape(tokens[i - 1]?.text ?? '')}`,
    `pl=${previousLabel}`,
    `pl+s=${previousLabel}|${wordShape}`,
    `pl+w=${previousLabel}|${lower}`,
    `pw+w=${prev}|${lower}`,
    `ls=${lineStart(text, tokens, i) ? 1 : 0}|${wordShape}`,
  ];
}

interface Model {
  readonly labels: readonly Label[];
  readonly weights: Readonly<Record<string, readonly number[]>>;
}

function loadModel(): ReadonlyMap<string, readonly number[]> {
  const raw = JSON.parse(readFileSync(new URL('./names-model.json', import.meta.url), 'utf8')) as Model;
  if (raw.labels.join() !== LABELS.join()) throw new Error('names-model.json was trained for other labels');
  return new Map(Object.entries(raw.weights));
}

let model: ReadonlyMap<string, readonly number[]> | undefined;

/** Best label for one token under the given weights. */
export function predict(weights: ReadonlyMap<string, ArrayLike<number>>, feats: readonly string[]): Label {
  const scores = new Float64Array(LABELS.length);
  for (const f of feats) {
    const w = weights.get(f);
    if (w === undefined) continue;
    for (let k = 0; k < scores.length; k++) scores[k] = (scores[k] ?? 0) + (w[k] ?? 0);
  }
  let best = 0;
  for (let k = 1; k < scores.length; k++) if ((scores[k] ?? 0) > (scores[best] ?? 0)) best = k;
  return LABELS[best] ?? 'O';
}

/** Decode labels for a whole text with greedy left-to-right tagging. */
export function tag(
  text: string,
  tokens: readonly Token[],
  weights: ReadonlyMap<string, ArrayLike<number>>,
): Label[] {
  const labels: Label[] = [];
  let previous: Label = 'O';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const label: Label =
      token !== undefined && isCandidate(token, previous)
        ? predict(weights, features(text, tokens, i, previous))
        : 'O';
    labels.push(label);
    previous = label;
  }
  return labels;
}

const NAME_SCORE = 0.75;

/** PERSON / LOCATION / ORGANIZATION spans found by the tagger. */
export function findNames(text: string): PiiCandidate[] {
  if (!CAPITAL_OR_DIGIT_ANYWHERE.test(text)) return [];
  model ??= loadModel();
  const tokens = tokenize(text);
  const labels = tag(text, tokens, model);
  const out: PiiCandidate[] = [];
  let open: { kind: string; start: number; end: number } | undefined;
  const close = (): void => {
    if (open === undefined) return;
    const entity = ENTITY_OF[open.kind];
    if (entity !== undefined)
      out.push({
        entity,
        start: open.start,
        end: open.end,
        score: NAME_SCORE,
        reason: 'name found by the entity tagger',
      });
    open = undefined;
  };
  for (let i = 0; i < tokens.length; i++) {
    const label = labels[i] ?? 'O';
    const token = tokens[i];
    if (token === undefined) continue;
    const kind = label.slice(2);
    if (label.startsWith('B-') || (label.startsWith('I-') && open?.kind !== kind)) {
      close();
      open = { kind, start: token.start, end: token.end };
    } else if (label.startsWith('I-') && open !== undefined) {
      open.end = token.end;
    } else {
      close();
    }
  }
  close();
  return out;
}

const CAPITAL_OR_DIGIT_ANYWHERE = /[\p{Lu}\p{N}]/u;
