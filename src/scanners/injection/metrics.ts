/** Detection metrics shared by training, `parapet eval` and the bench. */

export interface Scored {
  readonly y: 0 | 1;
  readonly score: number;
  readonly kind: string;
  readonly lang: string;
  /** Threshold for this row when it differs per row (per-fold thresholds in cross-validation). */
  readonly threshold?: number;
}

export interface Metrics {
  readonly n: number;
  readonly positives: number;
  readonly negatives: number;
  readonly tpr: number;
  readonly fpr: number;
  readonly precision: number;
  readonly f1: number;
  /** Best TPR with FPR ≤ 1% (threshold set on these rows' benign scores). */
  readonly tprAt1Fpr: number;
  /** Best TPR with FPR ≤ 2%: the bar. */
  readonly tprAt2Fpr: number;
}

/** TPR at the strictest threshold that keeps FPR ≤ `fpr` on these rows. */
export function tprAtFpr(rows: readonly Scored[], fpr: number): number {
  const neg = rows
    .filter((r) => r.y === 0)
    .map((r) => r.score)
    .sort((a, b) => b - a);
  const pos = rows.filter((r) => r.y === 1);
  if (pos.length === 0) return Number.NaN;
  const allowed = Math.floor(fpr * neg.length);
  const cut = neg[allowed];
  // Flag scores strictly above the first benign score that would exceed the budget.
  return pos.filter((r) => (cut === undefined ? true : r.score > cut)).length / pos.length;
}

export function metrics(rows: readonly Scored[], threshold: number): Metrics {
  let tp = 0;
  let fp = 0;
  let positives = 0;
  for (const r of rows) {
    const flagged = r.score >= (r.threshold ?? threshold);
    if (r.y === 1) {
      positives++;
      if (flagged) tp++;
    } else if (flagged) fp++;
  }
  const negatives = rows.length - positives;
  const tpr = positives > 0 ? tp / positives : Number.NaN;
  const fpr = negatives > 0 ? fp / negatives : Number.NaN;
  const precision = tp + fp > 0 ? tp / (tp + fp) : Number.NaN;
  const f1 = tp > 0 ? (2 * precision * tpr) / (precision + tpr) : 0;
  return {
    n: rows.length,
    positives,
    negatives,
    tpr,
    fpr,
    precision,
    f1,
    tprAt1Fpr: tprAtFpr(rows, 0.01),
    tprAt2Fpr: tprAtFpr(rows, 0.02),
  };
}

function fmt(x: number): string {
  return Number.isNaN(x) ? '   -  ' : x.toFixed(4);
}

/** A text table: overall, per kind and per language, at `threshold`. */
export function metricsTable(rows: readonly Scored[], threshold: number): string[] {
  const lines = [
    `${'slice'.padEnd(22)} ${'n'.padStart(5)}  TPR     FPR     prec    F1      TPR@1%FPR TPR@2%FPR`,
  ];
  const line = (name: string, subset: readonly Scored[]): void => {
    const m = metrics(subset, threshold);
    lines.push(
      `${name.padEnd(22)} ${String(m.n).padStart(5)}  ${fmt(m.tpr)}  ${fmt(m.fpr)}  ${fmt(m.precision)}  ${fmt(m.f1)}  ${fmt(m.tprAt1Fpr)}    ${fmt(m.tprAt2Fpr)}`,
    );
  };
  line('overall', rows);
  const negatives = rows.filter((r) => r.y === 0);
  const kinds = [...new Set(rows.map((r) => r.kind))].sort();
  for (const k of kinds) {
    const own = rows.filter((r) => r.kind === k);
    // Attack kinds are shown against all benign rows so precision and TPR@1%FPR mean something.
    line(`kind=${k}`, own.some((r) => r.y === 1) ? [...own, ...negatives] : own);
  }
  const langs = [...new Set(rows.map((r) => r.lang))].sort();
  for (const l of langs)
    line(
      `lang=${l}`,
      rows.filter((r) => r.lang === l),
    );
  return lines;
}
