// Trains the PERSON / LOCATION / ORGANIZATION tagger shipped as names-model.json.
//
//   npx node src/scanners/pii/train-names.ts [--data ../shared/data/pii-dev.jsonl] [--folds 5] [--epochs 8]
//
// Data: the rows of pii-dev.jsonl that come from microsoft/presidio-research's synthetic data set
// (MIT; `scope: "all"`). The maths negatives are skipped: their story characters are not annotated.
// With --folds K it first prints K-fold cross-validated entity F1 (overlap match), then trains on
// everything and writes the model. Deterministic: fixed seeds order the rows. Run
// `npx prettier --write src/scanners/pii/names-model.json` afterwards (the repository checks format).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  BUCKETS,
  FEATURES_PER_TOKEN,
  LABELS,
  LABEL_COUNT,
  SLOTS,
  WEIGHT_SCALE,
  features,
  isCandidate,
  namesFromLabels,
  predict,
  tag,
  tokenize,
  type Tokens,
} from './names.ts';

// Data-set types → tagger kinds (1 PER, 2 LOC, 3 ORG); B- label = 2·kind − 1, I- label = 2·kind.
const GOLD_KIND: Readonly<Record<string, number>> = { PERSON: 1, GPE: 2, STREET_ADDRESS: 2, ORGANIZATION: 3 };

export interface Row {
  readonly text: string;
  readonly tokens: Tokens;
  readonly gold: Uint8Array;
  readonly spans: readonly { kind: number; start: number; end: number }[];
}

export function loadRows(path: string): Row[] {
  const rows: Row[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const raw = JSON.parse(line) as {
      text: string;
      scope: string;
      entities: { type: string; start: number; end: number }[];
    };
    if (raw.scope !== 'all') continue;
    const tokens = tokenize(raw.text, true);
    const spans = raw.entities.flatMap((e) => {
      const kind = GOLD_KIND[e.type];
      return kind === undefined ? [] : [{ kind, start: e.start, end: e.end }];
    });
    const gold = new Uint8Array(tokens.count);
    for (const span of spans) {
      let first = true;
      for (let t = 0; t < tokens.count; t++) {
        const s = tokens.start[t] ?? 0;
        if (s < span.start || s >= span.end) continue;
        gold[t] = first ? 2 * span.kind - 1 : 2 * span.kind;
        first = false;
      }
    }
    rows.push({ text: raw.text, tokens, gold, spans });
  }
  return rows;
}

export function shuffled<T>(items: readonly T[], seed: number): T[] {
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
export function train(rows: readonly Row[], epochs: number): Float64Array {
  const weights = new Float64Array(BUCKETS * SLOTS);
  const accumulated = new Float64Array(BUCKETS * SLOTS);
  const feats = new Int32Array(FEATURES_PER_TOKEN);
  let step = 1;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const row of shuffled(rows, 17 + epoch)) {
      let previous = 0;
      for (let i = 0; i < row.tokens.count; i++) {
        if (!isCandidate(row.tokens, i, previous)) {
          previous = 0;
          continue;
        }
        features(row.tokens, i, previous, feats);
        const guess = predict(weights, feats);
        const gold = row.gold[i] ?? 0;
        if (guess !== gold) {
          for (const f of feats) {
            weights[f * SLOTS + gold] = (weights[f * SLOTS + gold] ?? 0) + 1;
            accumulated[f * SLOTS + gold] = (accumulated[f * SLOTS + gold] ?? 0) + step;
            weights[f * SLOTS + guess] = (weights[f * SLOTS + guess] ?? 0) - 1;
            accumulated[f * SLOTS + guess] = (accumulated[f * SLOTS + guess] ?? 0) - step;
          }
        }
        step++;
        previous = guess;
      }
    }
  }
  // Averaged, then rounded to the shipped Int16 thousandths so that cross-validation scores the
  // weights exactly as they will run.
  return weights.map((w, k) => Math.round((w - (accumulated[k] ?? 0) / step) * WEIGHT_SCALE));
}

function crossValidate(rows: readonly Row[], folds: number, epochs: number): void {
  const counts = new Map<number, { tp: number; fp: number; fn: number }>();
  const order = shuffled(rows, 7);
  const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
    a.start < b.end && b.start < a.end;
  for (let fold = 0; fold < folds; fold++) {
    const weights = train(
      order.filter((_, i) => i % folds !== fold),
      epochs,
    );
    for (const row of order.filter((_, i) => i % folds === fold)) {
      const kinds: Readonly<Record<string, number>> = { PERSON: 1, LOCATION: 2, ORGANIZATION: 3 };
      const predicted = namesFromLabels(row.text, row.tokens, tag(row.tokens, weights)).map((c) => ({
        kind: kinds[c.entity] ?? 0,
        start: c.start,
        end: c.end,
      }));
      for (const kind of [1, 2, 3]) {
        const c = counts.get(kind) ?? { tp: 0, fp: 0, fn: 0 };
        const gold = row.spans.filter((s) => s.kind === kind);
        const pred = predicted.filter((s) => s.kind === kind);
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
    const name = ['', 'PERSON', 'LOCATION', 'ORGANIZATION'][kind] ?? String(kind);
    console.log(
      `cv ${name}: tp ${c.tp} fp ${c.fp} fn ${c.fn} precision ${precision.toFixed(3)} recall ${recall.toFixed(3)} f1 ${f1.toFixed(3)}`,
    );
  }
}

function main(): void {
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
  const kept: number[][] = [];
  for (let b = 0; b < BUCKETS; b++) {
    const w = Array.from(weights.subarray(b * SLOTS, b * SLOTS + LABEL_COUNT), (v) =>
      Math.max(-32768, Math.min(32767, v)),
    );
    if (w.some((v) => Math.abs(v) >= 50)) kept.push([b, ...w]);
  }
  const model = {
    labels: LABELS,
    buckets: BUCKETS,
    source: 'microsoft/presidio-research synth_dataset_v2 (MIT)',
    weights: kept,
  };
  writeFileSync(values.out, JSON.stringify(model) + '\n');
  console.log(`wrote ${kept.length} buckets to ${values.out}`);
}

// Run as a script (not when the bench imports the training functions).
if (process.argv[1] === fileURLToPath(import.meta.url)) main();
