import { scanSecrets } from '../scanners/secrets.ts';
import {
  TABLE_HEADER,
  countSpans,
  formatRow,
  readJsonl,
  sumCounts,
  type Span,
  type TypeCounts,
} from './pii.ts';

// Secret-level evaluation with overlap matching. Rule names differ between tools (gitleaks ids in
// the data, Parapet rule ids in findings), so a secret counts as found when any finding overlaps
// it; per-type rows give recall by the data's type and precision overall.

export interface SecretRow {
  readonly text: string;
  readonly secrets: readonly { readonly type: string; readonly start: number; readonly end: number }[];
}

export type SecretDetector = (text: string) => readonly Span[];

export interface SecretEvaluation {
  readonly rows: number;
  readonly overall: TypeCounts;
  /** Recall per gold type (the `predicted` columns are not meaningful per type). */
  readonly byType: ReadonlyMap<string, TypeCounts>;
  /** Texts with no secret in which something was reported. */
  readonly falseAlarmRows: number;
  readonly negativeRows: number;
}

export function evaluateSecretRows(rows: readonly SecretRow[], detect: SecretDetector): SecretEvaluation {
  const overall = new Map<string, TypeCounts>();
  const byType = new Map<string, TypeCounts>();
  let falseAlarmRows = 0;
  let negativeRows = 0;
  for (const row of rows) {
    const predicted = detect(row.text).map((p) => ({ type: 'SECRET', start: p.start, end: p.end }));
    countSpans(
      overall,
      row.secrets.map((s) => ({ type: 'SECRET', start: s.start, end: s.end })),
      predicted,
    );
    for (const s of row.secrets) {
      const found = predicted.some((p) => p.start < s.end && s.start < p.end);
      const c = byType.get(s.type) ?? { gold: 0, predicted: 0, goldFound: 0, predictedCorrect: 0 };
      c.gold++;
      c.predicted += found ? 1 : 0;
      c.goldFound += found ? 1 : 0;
      c.predictedCorrect += found ? 1 : 0;
      byType.set(s.type, c);
    }
    if (row.secrets.length === 0) {
      negativeRows++;
      if (predicted.length > 0) falseAlarmRows++;
    }
  }
  return { rows: rows.length, overall: sumCounts(overall.values()), byType, falseAlarmRows, negativeRows };
}

export function writeSecretEvaluation(
  name: string,
  result: SecretEvaluation,
  write: (line: string) => void,
  byType = false,
): void {
  write(
    `${name}: ${result.rows} rows (${result.negativeRows} without secrets, ${result.falseAlarmRows} of them flagged)`,
  );
  write(TABLE_HEADER);
  write(formatRow('overall', result.overall));
  if (!byType) return;
  write('recall by type in the data:');
  for (const [type, c] of [...result.byType].sort(([a], [b]) => (a < b ? -1 : 1))) {
    write(
      `  ${type.padEnd(40)} ${String(c.goldFound).padStart(4)}/${String(c.gold).padEnd(4)} ${(c.goldFound / c.gold).toFixed(3)}`,
    );
  }
}

/** The project's own generated true and look-alike examples (test/fixtures/secrets-generated.jsonl). */
export const GENERATED_SECRETS_PATH = new URL('../../test/fixtures/secrets-generated.jsonl', import.meta.url)
  .pathname;

const parapet: SecretDetector = (text) => scanSecrets(text).findings;

/**
 * `parapet eval --task secrets`: precision, recall and F1 (overlap match) on the given file, on
 * Parapet's generated examples, and on both together.
 */
export async function evaluateSecrets(
  dataPath: string,
  opts: { write: (line: string) => void; generatedPath?: string | undefined },
): Promise<void> {
  const data = await readJsonl<SecretRow>(dataPath);
  const generated = await readJsonl<SecretRow>(opts.generatedPath ?? GENERATED_SECRETS_PATH);
  writeSecretEvaluation(dataPath, evaluateSecretRows(data, parapet), opts.write, true);
  writeSecretEvaluation('generated examples', evaluateSecretRows(generated, parapet), opts.write);
  writeSecretEvaluation('combined', evaluateSecretRows([...data, ...generated], parapet), opts.write);
}
