/**
 * Sensitive-data bench: speed of PII + secrets per 4 KB, and entity F1 side by side with the npm
 * detectors a TypeScript user would otherwise pick (redact-pii, openredaction, and the offline
 * "Contains PII" / "Secret Keys" checks of @openai/guardrails), on the same rows with the same
 * overlap matching. Parapet's name tagger is scored on held-out folds (retrained per fold), since
 * the shipped model was trained on the PII rows; the other tools never saw the data.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { SyncRedactor } from 'redact-pii';
import { OpenRedaction } from 'openredaction';
import { PIIEntity, pii as guardrailsPii, secretKeysCheck } from '@openai/guardrails';
import { createPiiDetector, scanPii } from '../src/scanners/pii.ts';
import { scanSecrets } from '../src/scanners/secrets.ts';
import { namesFromLabels, tag, tokenize } from '../src/scanners/pii/names.ts';
import { loadRows, shuffled, train } from '../src/scanners/pii/train-names.ts';
import {
  evaluatePiiRows,
  readJsonl,
  scoresOf,
  type PiiRow,
  type Span,
  type TypeCounts,
} from '../src/eval/pii.ts';
import { GENERATED_SECRETS_PATH, evaluateSecretRows, type SecretRow } from '../src/eval/secrets.ts';

const PII_DATA = process.env['PARAPET_PII_DATA'] ?? '../shared/data/pii-dev.jsonl';
const SECRETS_DATA = process.env['PARAPET_SECRETS_DATA'] ?? '../shared/data/secrets-dev.jsonl';
const FOLDS = 5;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/** 4 KB slices of the injection data set's prose and code, plus PII-dense and secret-dense texts. */
function corpus(): string[] {
  const prose = readFileSync('../shared/data/injection-dev.jsonl', 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { text: string }).text)
    .join('\n');
  const texts: string[] = [];
  for (let i = 0; i < 300; i++) {
    const start = (i * 7919) % Math.max(1, prose.length - 4096);
    texts.push(prose.slice(start, start + 4096));
  }
  const dense = readFileSync(PII_DATA, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { text: string }).text)
    .join('\n');
  for (let i = 0; i < 50; i++) {
    const start = (i * 4099) % Math.max(1, dense.length - 4096);
    texts.push(dense.slice(start, start + 4096));
  }
  return texts;
}

/**
 * Per-text time, best of 3 runs: the machine is shared, and the best run is the one least
 * disturbed by other processes (the code path is the same each run).
 */
function timeEach(texts: readonly string[], fn: (text: string) => unknown): number[] {
  for (const t of texts.slice(0, 50)) fn(t);
  return texts
    .map((t) => {
      let best = Infinity;
      for (let run = 0; run < 3; run++) {
        const started = performance.now();
        fn(t);
        best = Math.min(best, performance.now() - started);
      }
      return best * 1000;
    })
    .sort((a, b) => a - b);
}

async function timeEachAsync(
  texts: readonly string[],
  fn: (text: string) => Promise<unknown>,
): Promise<number[]> {
  const times: number[] = [];
  for (const t of texts) {
    const started = performance.now();
    await fn(t);
    times.push((performance.now() - started) * 1000);
  }
  return times.sort((a, b) => a - b);
}

// ---- The other tools, turned into typed spans -------------------------------------------------

/** Finds each reported value in the text (tools that return values, not offsets). */
function spansOfValues(text: string, values: readonly { type: string; value: string }[]): Span[] {
  const spans: Span[] = [];
  for (const { type, value } of values) {
    if (value === '') continue;
    for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + value.length)) {
      spans.push({ type, start: at, end: at + value.length });
    }
  }
  return spans;
}

// redact-pii returns redacted text with one fixed marker per built-in redactor (its per-redactor
// `replaceWith` is ignored by 3.4.0); the unchanged stretches between markers locate the replaced
// spans in the original.
const REDACT_PII_MARKERS: Readonly<Record<string, string>> = {
  PERSON_NAME: 'PERSON',
  CREDIT_CARD_NUMBER: 'CREDIT_CARD',
  STREET_ADDRESS: 'LOCATION',
  PHONE_NUMBER: 'PHONE_NUMBER',
  IP_ADDRESS: 'IP_ADDRESS',
  US_SOCIAL_SECURITY_NUMBER: 'US_SSN',
  EMAIL_ADDRESS: 'EMAIL_ADDRESS',
  ZIPCODE: 'ZIP',
  USERNAME: 'USERNAME',
  PASSWORD: 'SECRET',
  CREDENTIALS: 'SECRET',
  DIGITS: 'DIGITS',
  URL: 'URL',
};
const redactPii = new SyncRedactor();
const MARKER = new RegExp(`\\b(?:${Object.keys(REDACT_PII_MARKERS).join('|')})\\b`, 'g');

function redactPiiSpans(text: string): Span[] {
  const redacted = redactPii.redact(text);
  const markers = [...redacted.matchAll(MARKER)];
  const literals = redacted.split(MARKER);
  const spans: Span[] = [];
  let at = (literals[0] ?? '').length;
  markers.forEach((m, i) => {
    const following = literals[i + 1] ?? '';
    const end =
      following === '' ? (i === markers.length - 1 ? text.length : at) : text.indexOf(following, at);
    if (end > at) spans.push({ type: REDACT_PII_MARKERS[m[0]] ?? 'OTHER', start: at, end });
    at = Math.max(at, end) + following.length;
  });
  return spans;
}

const openRedaction = new OpenRedaction({ redactionMode: 'placeholder' });
function openRedactionType(type: string): string {
  if (/EMAIL/.test(type)) return 'EMAIL_ADDRESS';
  if (/PHONE|MOBILE|TELEPHONE/.test(type)) return 'PHONE_NUMBER';
  if (/CREDIT_CARD|CARD_NUMBER/.test(type)) return 'CREDIT_CARD';
  if (/IBAN/.test(type)) return 'IBAN_CODE';
  if (/^SSN|US_SSN|SOCIAL_SECURITY/.test(type)) return 'US_SSN';
  if (/IP(?:V[46])?_?ADDRESS|^IPV[46]/.test(type)) return 'IP_ADDRESS';
  if (/DRIVER|DRIVING/.test(type)) return 'US_DRIVER_LICENSE';
  if (/^NAME|PERSON/.test(type)) return 'PERSON';
  if (/ADDRESS|STREET|CITY|POSTCODE|LOCATION/.test(type)) return 'LOCATION';
  if (/COMPANY|ORGANI[SZ]ATION|EMPLOYER/.test(type)) return 'ORGANIZATION';
  if (/KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL|JWT|PRIVATE|WEBHOOK|CONNECTION|AUTH|BEARER/.test(type))
    return 'SECRET';
  return type;
}
async function openRedactionSpans(text: string): Promise<Span[]> {
  const result = (await openRedaction.detect(text)) as {
    detections: { type: string; position: [number, number] }[];
  };
  return result.detections.map((d) => ({
    type: openRedactionType(d.type),
    start: d.position[0],
    end: d.position[1],
  }));
}

const GUARDRAILS_ENTITIES: PIIEntity[] = [
  PIIEntity.EMAIL_ADDRESS,
  PIIEntity.PHONE_NUMBER,
  PIIEntity.CREDIT_CARD,
  PIIEntity.IBAN_CODE,
  PIIEntity.US_SSN,
  PIIEntity.IP_ADDRESS,
  PIIEntity.CRYPTO,
  PIIEntity.US_DRIVER_LICENSE,
  PIIEntity.PERSON,
  PIIEntity.LOCATION,
];
async function guardrailsPiiSpans(text: string): Promise<Span[]> {
  const result = await guardrailsPii({}, text, {
    entities: GUARDRAILS_ENTITIES,
    block: false,
    detect_encoded_pii: false,
  });
  const found = (result.info['detected_entities'] ?? {}) as Record<string, string[]>;
  return spansOfValues(
    text,
    Object.entries(found).flatMap(([type, values]) => values.map((value) => ({ type, value }))),
  );
}
async function guardrailsSecretSpans(text: string): Promise<Span[]> {
  const result = await secretKeysCheck({}, text, { threshold: 'balanced' });
  const secrets = (result.info['detected_secrets'] ?? []) as string[];
  return spansOfValues(
    text,
    secrets.map((value) => ({ type: 'SECRET', value })),
  );
}

// ---- Scoring ------------------------------------------------------------------------------------

async function precompute(
  rows: readonly { text: string }[],
  detect: (text: string) => Span[] | Promise<Span[]>,
) {
  const byText = new Map<string, Span[]>();
  for (const row of rows) if (!byText.has(row.text)) byText.set(row.text, await detect(row.text));
  return (text: string): Span[] => byText.get(text) ?? [];
}

function f1Line(name: string, c: TypeCounts): string {
  const s = scoresOf(c);
  return `${name.padEnd(34)} P ${s.precision.toFixed(3)}  R ${s.recall.toFixed(3)}  F1 ${s.f1.toFixed(3)}`;
}

/** Parapet with the name tagger retrained per fold, so each text is tagged by a model that never saw it. */
function heldOutParapet(): (text: string) => Span[] {
  const rows = shuffled(loadRows(PII_DATA), 7);
  const weightsByText = new Map<string, Float64Array>();
  for (let fold = 0; fold < FOLDS; fold++) {
    const weights = train(
      rows.filter((_, i) => i % FOLDS !== fold),
      8,
    );
    rows.forEach((row, i) => {
      if (i % FOLDS === fold) weightsByText.set(row.text, weights);
    });
  }
  const detect = createPiiDetector({
    findNames: (text) => {
      const weights = weightsByText.get(text);
      if (weights === undefined) return [];
      const tokens = tokenize(text);
      return namesFromLabels(text, tokens, tag(tokens, weights));
    },
  });
  return (text) => detect(text).map((f) => ({ type: f.entity ?? f.type, start: f.start, end: f.end }));
}

export async function run(write: (line: string) => void): Promise<void> {
  // Speed.
  const texts = corpus();
  const pii = timeEach(texts, (t) => scanPii(t));
  const secrets = timeEach(texts, (t) => scanSecrets(t));
  const both = timeEach(texts, (t) => [scanPii(t), scanSecrets(t)]);
  // The machine is shared: the load average and a fixed reference loop let a reader scale the numbers.
  const reference = timeEach(texts.slice(0, 100), (t) => {
    let sum = 0;
    for (let i = 0; i < t.length; i++) sum += t.charCodeAt(i);
    return sum;
  });
  write(
    `load average ${loadavg()[0]?.toFixed(1) ?? '?'}; reference loop (sum of 4 KB char codes) p50 ${percentile(reference, 0.5).toFixed(1)} µs`,
  );
  write(`speed on ${texts.length} texts of 4 KB (µs; one core, warm, best of 3 runs per text):`);
  for (const [name, times] of [
    ['pii', pii],
    ['secrets', secrets],
    ['pii + secrets', both],
  ] as const) {
    write(
      `  ${name.padEnd(14)} p50 ${percentile(times, 0.5).toFixed(0).padStart(5)}   p99 ${percentile(times, 0.99).toFixed(0).padStart(6)}`,
    );
  }
  const sample = texts.slice(0, 40);
  write('  others on 40 of the texts (µs p50):');
  write(
    `    redact-pii               ${percentile(
      timeEach(sample, (t) => redactPii.redact(t)),
      0.5,
    ).toFixed(0)}`,
  );
  write(
    `    openredaction            ${percentile(await timeEachAsync(sample, (t) => openRedaction.detect(t)), 0.5).toFixed(0)}`,
  );
  write(
    `    @openai/guardrails pii   ${percentile(await timeEachAsync(sample, (t) => guardrailsPiiSpans(t)), 0.5).toFixed(0)}`,
  );

  // PII F1.
  const piiRows = await readJsonl<PiiRow>(PII_DATA);
  write('');
  write(
    `PII entity F1 on ${PII_DATA} (${piiRows.length} rows, overlap match, same type mapping for every tool):`,
  );
  const piiTools: [string, (text: string) => Span[] | Promise<Span[]>][] = [
    ['parapet (names held out, 5 folds)', heldOutParapet()],
    ['redact-pii', redactPiiSpans],
    ['openredaction', openRedactionSpans],
    ['@openai/guardrails (Contains PII)', guardrailsPiiSpans],
  ];
  for (const [name, detect] of piiTools) {
    const result = evaluatePiiRows(piiRows, await precompute(piiRows, detect));
    write(`  ${f1Line(name, result.overall)}   structured F1 ${scoresOf(result.structured).f1.toFixed(3)}`);
  }

  // Secrets F1.
  const secretRows = [
    ...(await readJsonl<SecretRow>(SECRETS_DATA)),
    ...(await readJsonl<SecretRow>(GENERATED_SECRETS_PATH)),
  ];
  write('');
  write(
    `Secrets on ${SECRETS_DATA} + Parapet's generated examples (${secretRows.length} rows, overlap match):`,
  );
  const secretOnly = (spans: Span[]): Span[] => spans.filter((s) => s.type === 'SECRET');
  const secretTools: [string, (text: string) => Span[] | Promise<Span[]>][] = [
    ['parapet', (t) => scanSecrets(t).findings],
    ['redact-pii (password, credentials)', (t) => secretOnly(redactPiiSpans(t))],
    ['openredaction (key/token types)', async (t) => secretOnly(await openRedactionSpans(t))],
    ['@openai/guardrails (Secret Keys)', guardrailsSecretSpans],
  ];
  for (const [name, detect] of secretTools) {
    const result = evaluateSecretRows(secretRows, await precompute(secretRows, detect));
    write(
      `  ${f1Line(name, result.overall)}   false alarms on ${result.falseAlarmRows}/${result.negativeRows} clean rows`,
    );
  }
}
