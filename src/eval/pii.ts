import { readFile } from 'node:fs/promises';
import { scanPii } from '../scanners/pii.ts';

// Entity-level evaluation with overlap matching: a gold span counts as found when a prediction of
// the same type overlaps it, and a prediction counts as correct when it overlaps a gold span of
// the same type. Precision and recall are computed from those two counts.

export interface Span {
  readonly type: string;
  readonly start: number;
  readonly end: number;
}

export interface TypeCounts {
  gold: number;
  predicted: number;
  goldFound: number;
  predictedCorrect: number;
}

export interface Scores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export function scoresOf(c: TypeCounts): Scores {
  const precision = c.predicted === 0 ? (c.gold === 0 ? 1 : 0) : c.predictedCorrect / c.predicted;
  const recall = c.gold === 0 ? 1 : c.goldFound / c.gold;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;

/** Adds one text's gold and predicted spans to the per-type counts. */
export function countSpans(
  counts: Map<string, TypeCounts>,
  gold: readonly Span[],
  predicted: readonly Span[],
): void {
  for (const type of new Set([...gold.map((g) => g.type), ...predicted.map((p) => p.type)])) {
    const g = gold.filter((s) => s.type === type);
    const p = predicted.filter((s) => s.type === type);
    const c = counts.get(type) ?? { gold: 0, predicted: 0, goldFound: 0, predictedCorrect: 0 };
    c.gold += g.length;
    c.predicted += p.length;
    c.goldFound += g.filter((x) => p.some((y) => overlaps(x, y))).length;
    c.predictedCorrect += p.filter((y) => g.some((x) => overlaps(x, y))).length;
    counts.set(type, c);
  }
}

export function sumCounts(counts: Iterable<TypeCounts>): TypeCounts {
  const total = { gold: 0, predicted: 0, goldFound: 0, predictedCorrect: 0 };
  for (const c of counts) {
    total.gold += c.gold;
    total.predicted += c.predicted;
    total.goldFound += c.goldFound;
    total.predictedCorrect += c.predictedCorrect;
  }
  return total;
}

export function formatRow(name: string, c: TypeCounts): string {
  const s = scoresOf(c);
  return `${name.padEnd(20)} ${String(c.gold).padStart(5)} ${String(c.predicted).padStart(5)}   ${s.precision.toFixed(3)}   ${s.recall.toFixed(3)}  ${s.f1.toFixed(3)}`;
}

export const TABLE_HEADER = `${'type'.padEnd(20)} ${'gold'.padStart(5)} ${'pred'.padStart(5)}   prec    recall  f1`;

/**
 * Data-set type → Parapet entity. Presidio-research's synthetic names on the left; Presidio's own
 * names map to themselves. GPE and STREET_ADDRESS are both LOCATION (Presidio does the same).
 * Types Parapet does not detect (DATE_TIME, TITLE, AGE, NRP, DOMAIN_NAME, ZIP_CODE) are left out.
 */
export const GOLD_TO_ENTITY: Readonly<Record<string, string>> = {
  EMAIL: 'EMAIL_ADDRESS',
  EMAIL_ADDRESS: 'EMAIL_ADDRESS',
  PHONE: 'PHONE_NUMBER',
  PHONE_NUMBER: 'PHONE_NUMBER',
  CREDIT_CARD: 'CREDIT_CARD',
  IBAN: 'IBAN_CODE',
  IBAN_CODE: 'IBAN_CODE',
  US_SSN: 'US_SSN',
  IP_ADDRESS: 'IP_ADDRESS',
  US_DRIVER_LICENSE: 'US_DRIVER_LICENSE',
  CRYPTO: 'CRYPTO',
  PERSON: 'PERSON',
  GPE: 'LOCATION',
  STREET_ADDRESS: 'LOCATION',
  LOCATION: 'LOCATION',
  ORGANIZATION: 'ORGANIZATION',
};

/** The types the bar calls structured (checksum / format based). */
export const STRUCTURED_ENTITIES: ReadonlySet<string> = new Set([
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'CREDIT_CARD',
  'IBAN_CODE',
  'US_SSN',
  'IP_ADDRESS',
]);
const NAME_ENTITIES: ReadonlySet<string> = new Set(['PERSON', 'LOCATION', 'ORGANIZATION']);
const SCORED_ENTITIES: ReadonlySet<string> = new Set(Object.values(GOLD_TO_ENTITY));

export interface PiiRow {
  readonly text: string;
  readonly entities: readonly Span[];
  /** `structured`: only structured identifiers are annotated (names in the text are not). */
  readonly scope?: string;
}

export type Detector = (text: string) => readonly Span[];

export interface PiiEvaluation {
  readonly rows: number;
  readonly byType: ReadonlyMap<string, TypeCounts>;
  readonly overall: TypeCounts;
  readonly structured: TypeCounts;
  /** Predictions of entities the data set does not annotate (e.g. CRYPTO), not scored. */
  readonly unscored: number;
}

/** Scores any detector on PII rows; `detect` returns spans typed with Parapet entity names. */
export function evaluatePiiRows(rows: readonly PiiRow[], detect: Detector): PiiEvaluation {
  const byType = new Map<string, TypeCounts>();
  let unscored = 0;
  for (const row of rows) {
    const namesAnnotated = row.scope !== 'structured';
    const inScope = (type: string): boolean =>
      SCORED_ENTITIES.has(type) && (namesAnnotated || !NAME_ENTITIES.has(type));
    const gold = row.entities.flatMap((e) => {
      const type = GOLD_TO_ENTITY[e.type];
      return type !== undefined && inScope(type) ? [{ type, start: e.start, end: e.end }] : [];
    });
    const predicted = detect(row.text).filter((p) => {
      if (!SCORED_ENTITIES.has(p.type)) unscored++;
      return inScope(p.type);
    });
    countSpans(byType, gold, predicted);
  }
  return {
    rows: rows.length,
    byType,
    overall: sumCounts(byType.values()),
    structured: sumCounts([...byType].filter(([t]) => STRUCTURED_ENTITIES.has(t)).map(([, c]) => c)),
    unscored,
  };
}

export async function readJsonl<T>(path: string): Promise<T[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as T;
      } catch {
        throw new Error(`${path}:${i + 1}: not valid JSON`);
      }
    });
}

export function writePiiEvaluation(result: PiiEvaluation, write: (line: string) => void): void {
  write(TABLE_HEADER);
  for (const [type, c] of [...result.byType].sort(([a], [b]) => (a < b ? -1 : 1))) write(formatRow(type, c));
  write(formatRow('structured', result.structured));
  write(formatRow('overall', result.overall));
  if (result.unscored > 0)
    write(`(${result.unscored} predictions of entities the data does not annotate were not scored)`);
}

/** `parapet eval --task pii`: entity-level precision, recall and F1 (overlap match) by type. */
export async function evaluatePii(dataPath: string, opts: { write: (line: string) => void }): Promise<void> {
  const rows = await readJsonl<PiiRow>(dataPath);
  const result = evaluatePiiRows(rows, (text) =>
    scanPii(text).findings.map((f) => ({ type: f.entity ?? f.type, start: f.start, end: f.end })),
  );
  opts.write(`pii eval on ${dataPath}: ${result.rows} rows, overlap match`);
  writePiiEvaluation(result, opts.write);
  opts.write(
    'note: the shipped name tagger was trained on presidio-research synthetic rows; on those rows its PERSON/LOCATION/ORGANIZATION scores are optimistic (held-out numbers: npm run bench -- sensitive)',
  );
}
