// Trains the PERSON / LOCATION / ORGANIZATION tagger shipped as names-model.json.
//
//   npx node src/scanners/pii/train-names.ts [--data ../shared/data/pii-dev.jsonl] [--folds 5] [--epochs 8]
//
// Data: the rows of pii-dev.jsonl that come from microsoft/presidio-research's synthetic data set
// (MIT; `scope: "all"`). The maths negatives are skipped: their story characters are not annotated.
// With --folds K it first prints K-fold cross-validated entity F1 (overlap match), then trains on
// everything and writes the model. Deterministic: a fixed seed orders the training rows.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LABELS, features, isCandidate, predict, tokenize, type Label, type Token } from './names.ts';

const GOLD_KIND: Readonly<Record<string, string>> = {
  PERSON: 'PER',
  GPE: 'LOC',
  STREET_ADDRESS: 'LOC',
  ORGANIZATION: 'ORG',
};

interface Row {
  readonly text: string;
  readonly tokens: Token[];
  readonly gold: Label[];
  readonly spans: readonly { kind: string; start: number; end: number }[];
}

function loadRows(path: string): Row[] {
  const rows: Row[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const raw = JSON.parse(line) as {
      text: string;
      scope: string;
      entities: { type: string; start: number; end: number }[];
    };
    if (raw.scope !== 'all') continue;
    const tokens = tokenize(raw.text);
    const spans = raw.entities.flatMap((e) => {
      const kind = GOLD_KIND[e.type];
      return kind === undefined ? [] : [{ kind, start: e.start, end: e.end }];
    });
    const gold = tokens.map((t): Label => {
      const span = spans.find((s) => t.start >= s.start && t.start < s.end);
      if (span === undefined) return 'O';
      const first = tokens.find((u) => u.start >= span.start) === t;
      return `${first ? 'B' : 'I'}-${span.kind}` as Label;
    });
    rows.push({ text: raw.text, tokens, gold, spans });
  }
  return rows;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Averaged perceptron (Collins 2002) with the usual lazy-averaging trick. */
function train(rows: readonly Row[], epochs: number): Map<string, Float64Array> {
  const weights = new Map<string, Float64Array>();
  const accumulated = new Map<string, Float64Array>();
  let step = 1;
  const bump = (f: string, k: number, delta: number): void => {
    let w = weights.get(f);
    let u = accumulated.get(f);
    if (w === undefined || u === undefined) {
      w = new Float64Array(LABELS.length);
      u = new Float64Array(LABELS.length);
      weights.set(f, w);
      accumulated.set(f, u);
    }
    w[k] = (w[k] ?? 0) + delta;
    u[k] = (u[k] ?? 0) + step * delta;
  };
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const row of shuffled(rows, 17 + epoch)) {
      let previous: Label = 'O';
      for (let i = 0; i < row.tokens.length; i++) {
        const token = row.tokens[i];
        const gold = row.gold[i] ?? 'O';
        if (token === undefined || !isCandidate(token, previous)) {
          previous = 'O';
          continue;
        }
        const feats = features(row.text, row.tokens, i, previous);
        const guess = predict(weights, feats);
        if (guess !== gold) {
          for (const f of feats) {
            bump(f, LABELS.indexOf(gold), 1);
            bump(f, LABELS.indexOf(guess), -1);
          }
        }
        step++;
        previous = guess;
      }
    }
  }
  const averaged = new Map<string, Float64Array>();
  for (const [f, w] of weights) {
    const u = accumulated.get(f);
    if (u === undefined) continue;
    averaged.set(
      f,
      w.map((v, k) => v - (u[k] ?? 0) / step),
    );
  }
  return averaged;
}

function spansOf(row: Row, labels: readonly Label[]): { kind: string; start: number; end: number }[] {
  const out: { kind: string; start: number; end: number }[] = [];
  labels.forEach((label, i) => {
    const token = row.tokens[i];
    if (token === undefined || label === 'O') return;
    const kind = label.slice(2);
    const last = out.at(-1);
    if (label.startsWith('I-') && last?.kind === kind && labels[i - 1] !== 'O') last.end = token.end;
    else out.push({ kind, start: token.start, end: token.end });
  });
  return out;
}

function decode(row: Row, weights: ReadonlyMap<string, ArrayLike<number>>): Label[] {
  const labels: Label[] = [];
  let previous: Label = 'O';
  row.tokens.forEach((token, i) => {
    const label = isCandidate(token, previous)
      ? predict(weights, features(row.text, row.tokens, i, previous))
      : 'O';
    labels.push(label);
    previous = label;
  });
  return labels;
}

function crossValidate(rows: readonly Row[], folds: number, epochs: number): void {
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const order = shuffled(rows, 7);
  for (let fold = 0; fold < folds; fold++) {
    const test = order.filter((_, i) => i % folds === fold);
    const weights = train(
      order.filter((_, i) => i % folds !== fold),
      epochs,
    );
    for (const row of test) {
      const predicted = spansOf(row, decode(row, weights));
      for (const kind of ['PER', 'LOC', 'ORG']) {
        const c = counts.get(kind) ?? { tp: 0, fp: 0, fn: 0 };
        const gold = row.spans.filter((s) => s.kind === kind);
        const pred = predicted.filter((s) => s.kind === kind);
        const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
          a.start < b.end && b.start < a.end;
        c.tp += gold.filter((g) => pred.some((p) => overlaps(g, p))).length;
        c.fn += gold.filter((g) => !pred.some((p) => overlaps(g, p))).length;
        c.fp += pred.filter((p) => !gold.some((g) => overlaps(g, p))).length;
        counts.set(kind, c);
      }
    }
  }
  for (const [kind, c] of counts) {
    const precision = c.tp / Math.max(1, c.tp + c.fp);
    const recall = c.tp / Math.max(1, c.tp + c.fn);
    const f1 = (2 * precision * recall) / Math.max(1e-9, precision + recall);
    console.log(
      `cv ${kind}: precision ${precision.toFixed(3)} recall ${recall.toFixed(3)} f1 ${f1.toFixed(3)}`,
    );
  }
}

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/pii-dev.jsonl' },
    folds: { type: 'string', default: '0' },
    epochs: { type: 'string', default: '8' },
    out: { type: 'string', default: new URL('./names-model.json', import.meta.url).pathname },
  },
});
const rows = loadRows(values.data);
const epochs = Number(values.epochs);
if (Number(values.folds) > 1) crossValidate(rows, Number(values.folds), epochs);
const weights = train(rows, epochs);
const pruned: Record<string, number[]> = {};
for (const [f, w] of [...weights].sort(([a], [b]) => (a < b ? -1 : 1))) {
  const rounded = Array.from(w, (v) => Math.round(v * 100) / 100);
  if (rounded.some((v) => Math.abs(v) >= 0.05)) pruned[f] = rounded;
}
writeFileSync(
  values.out,
  JSON.stringify({
    labels: LABELS,
    source: 'microsoft/presidio-research synth_dataset_v2 (MIT)',
    weights: pruned,
  }) + '\n',
);
console.log(`wrote ${Object.keys(pruned).length} features to ${values.out}`);
