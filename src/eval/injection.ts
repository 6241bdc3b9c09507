/**
 * `parapet eval --task injection --data FILE`: detection metrics and per-item latency.
 *
 * Never scores a row with a model that trained on it: when FILE overlaps the shipped model's
 * training rows (its text hashes are in the model), the detector is retrained per fold in-process
 * (k-fold cross-validation, thresholds chosen on the training folds); otherwise the shipped model
 * is evaluated as is, and any individual rows it trained on are left out and counted.
 */
import { performance } from 'node:perf_hooks';
import { hasHash, textHash } from '../scanners/injection/classifier.ts';
import { detectInjection, shippedModel } from '../scanners/injection/index.ts';
import { metricsTable } from '../scanners/injection/metrics.ts';
import type { Scored } from '../scanners/injection/metrics.ts';
import { crossValidate, isProjectRow, loadRows, withProjectExamples } from '../scanners/injection/train.ts';
import type { Row } from '../scanners/injection/train.ts';

export interface EvaluateOptions {
  readonly folds?: number;
  readonly write: (line: string) => void;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

function latencyLines(rows: readonly Row[]): string[] {
  const model = shippedModel();
  // Warm up so the numbers describe the steady state, not JIT compilation.
  for (const r of rows.slice(0, 200)) detectInjection(r.text, { model });
  const perItem: number[] = [];
  const perKb: number[] = [];
  for (const r of rows) {
    const t0 = performance.now();
    detectInjection(r.text, { model });
    const us = (performance.now() - t0) * 1000;
    perItem.push(us);
    perKb.push(us / Math.max(1, r.text.length / 1024));
  }
  perItem.sort((a, b) => a - b);
  perKb.sort((a, b) => a - b);
  return [
    `latency per item (shipped model, one core): p50 ${percentile(perItem, 0.5).toFixed(1)} µs, p99 ${percentile(perItem, 0.99).toFixed(1)} µs, max ${(perItem.at(-1) ?? 0).toFixed(1)} µs`,
    `latency per KB of text: p50 ${percentile(perKb, 0.5).toFixed(1)} µs, p99 ${percentile(perKb, 0.99).toFixed(1)} µs`,
  ];
}

export async function evaluateInjection(dataPath: string, opts: EvaluateOptions): Promise<void> {
  const write = opts.write;
  const rows = loadRows(dataPath);
  if (rows.length === 0) throw new Error(`${dataPath}: no rows`);
  const model = shippedModel();
  const seen = rows.filter((r) => hasHash(model.trainingTextHashes, textHash(r.text))).length;
  write(`data: ${dataPath} (${rows.length} rows); ${seen} rows are in the shipped model's training data`);
  let scored: Scored[];
  if (seen * 2 >= rows.length) {
    const folds = opts.folds ?? 5;
    write(
      `mode: held-out folds — ${folds}-fold cross-validation, the detector is retrained per fold in-process on the ` +
        `other folds (plus the project's own templates and written examples); classifier, combiner and the 2%-FPR threshold never see the scored fold`,
    );
    const all = withProjectExamples(rows);
    const cv = crossValidate(all, folds, (line) => {
      write(line);
    });
    scored = rows.map((r, i) => ({
      y: r.y,
      score: cv.scores[i] ?? 0,
      kind: r.kind,
      lang: r.lang,
      threshold: cv.thresholds[i] ?? 0.5,
    }));
  } else {
    const fresh = rows.filter((r) => !hasHash(model.trainingTextHashes, textHash(r.text)));
    write(
      `mode: shipped model (models/injection.json) at its default threshold ${model.thresholds.prompt}; ` +
        `${rows.length - fresh.length} rows it trained on are left out`,
    );
    scored = fresh.map((r) => ({
      y: r.y,
      score: detectInjection(r.text, { model }).score,
      kind: r.kind,
      lang: r.lang,
    }));
  }
  write('');
  for (const line of metricsTable(scored, model.thresholds.prompt)) write(line);
  write('(attack kinds are scored against all benign rows; TPR@1%/2%FPR set their thresholds on these rows)');
  write('');
  for (const line of latencyLines(rows.filter((r) => !isProjectRow(r)))) write(line);
  return Promise.resolve();
}
