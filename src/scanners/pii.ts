import { z } from 'zod';
import type { CheckDefinition, Scanner } from '../core/scanner.ts';
import type { Finding } from '../core/finding.ts';
import { checkOptions } from './check-options.ts';
import { structuredPiiPendingStart } from './pending.ts';
import { PII_ALIASES, PII_ENTITIES, type PiiCandidate, type PiiEntity } from './pii/entities.ts';
import { findStructured } from './pii/structured.ts';
import { findNames } from './pii/names.ts';
import { findJsonNames } from './pii/json-fields.ts';

export { PII_ENTITIES, type PiiEntity } from './pii/entities.ts';

const DEFAULT_THRESHOLD = 0.5;
const NAME_ENTITIES: ReadonlySet<PiiEntity> = new Set(['PERSON', 'LOCATION', 'ORGANIZATION']);

// When two detections overlap, the one backed by the stronger evidence wins: checksums and exact
// formats first, then context-gated formats, then phone numbers, then the name model.
const PRIORITY: Readonly<Record<PiiEntity, number>> = {
  URL_CREDENTIALS: 10,
  EMAIL_ADDRESS: 9,
  CREDIT_CARD: 8,
  IBAN_CODE: 8,
  CRYPTO: 8,
  IP_ADDRESS: 7,
  US_SSN: 7,
  DATE_OF_BIRTH: 6,
  US_DRIVER_LICENSE: 6,
  PHONE_NUMBER: 5,
  PERSON: 1,
  LOCATION: 1,
  ORGANIZATION: 1,
};

/** The longest PII value one finding covers (a multi-line postal address or a URL with credentials). */
export const PII_MAX_FINDING_LENGTH = 512;

export interface PiiScanOptions {
  /** Entities to report; all when absent. */
  readonly entities?: readonly PiiEntity[] | undefined;
  /** Score a finding needs to be reported, per entity; `threshold` for the rest. */
  readonly thresholds?: Readonly<Partial<Record<PiiEntity, number>>> | undefined;
  readonly threshold?: number | undefined;
  /** The PERSON / LOCATION / ORGANIZATION finder; the shipped tagger unless a caller passes another. */
  readonly findNames?: ((text: string) => PiiCandidate[]) | undefined;
}

function resolveOverlaps(candidates: PiiCandidate[]): PiiCandidate[] {
  const ranked = [...candidates].sort(
    (a, b) =>
      PRIORITY[b.entity] - PRIORITY[a.entity] || b.score - a.score || b.end - b.start - (a.end - a.start),
  );
  const kept: PiiCandidate[] = [];
  for (const c of ranked) {
    if (!kept.some((k) => k.start < c.end && c.start < k.end)) kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** A compiled PII detector: the entity set and thresholds are fixed when it is built. */
export function createPiiDetector(options: PiiScanOptions = {}): (text: string) => Finding[] {
  const wanted = new Set<PiiEntity>(options.entities ?? PII_ENTITIES);
  const nameFinder = options.findNames ?? findNames;
  const names = wanted.has('PERSON') || wanted.has('LOCATION') || wanted.has('ORGANIZATION');
  const fallback = options.threshold ?? DEFAULT_THRESHOLD;
  const thresholdOf = (entity: PiiEntity): number => options.thresholds?.[entity] ?? fallback;
  return (text) => {
    const candidates = findStructured(text);
    if (names) candidates.push(...nameFinder(text), ...findJsonNames(text));
    const passing = candidates.filter((c) => wanted.has(c.entity) && c.score >= thresholdOf(c.entity));
    return resolveOverlaps(passing).map((c) => ({
      type: `pii.${c.entity.toLowerCase()}`,
      entity: c.entity,
      start: c.start,
      end: c.end,
      score: Math.round(c.score * 1000) / 1000,
      reason: `${c.entity}: ${c.reason}`,
    }));
  };
}

const defaultDetector = createPiiDetector();

/** The `parapet scan --task pii` contract: every entity at the default thresholds. */
export function scanPii(text: string): { flagged: boolean; score: number; findings: Finding[] } {
  const findings = defaultDetector(text);
  return {
    flagged: findings.length > 0,
    score: findings.reduce((m, f) => Math.max(m, f.score), 0),
    findings,
  };
}

const entityName = z.string().transform((name, ctx) => {
  const upper = name.toUpperCase();
  const entity = (PII_ENTITIES as readonly string[]).includes(upper)
    ? (upper as PiiEntity)
    : PII_ALIASES[upper];
  if (entity === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown PII entity "${name}"; known: ${PII_ENTITIES.join(', ')}`,
    });
    return z.NEVER;
  }
  return entity;
});

const PII_ACTIONS = ['allow', 'block', 'redact', 'mask', 'hash', 'pseudonymize'] as const;
const piiOptionsSchema = checkOptions(PII_ACTIONS).extend({
  entities: z.array(entityName).min(1).optional(),
  thresholds: z
    .record(z.string(), z.number().min(0).max(1))
    .optional()
    .superRefine((map, ctx) => {
      for (const name of Object.keys(map ?? {})) {
        if (!entityName.safeParse(name).success) {
          ctx.addIssue({ code: 'custom', path: [name], message: `unknown PII entity "${name}"` });
        }
      }
    }),
});
type PiiCheckOptions = z.infer<typeof piiOptionsSchema>;

function thresholdsOf(
  raw: Readonly<Record<string, number>> | undefined,
): Partial<Record<PiiEntity, number>> | undefined {
  if (raw === undefined) return undefined;
  const out: Partial<Record<PiiEntity, number>> = {};
  for (const [name, value] of Object.entries(raw)) {
    const parsed = entityName.safeParse(name);
    if (parsed.success) out[parsed.data] = value;
  }
  return out;
}

function createPiiScanner(id: string, o: PiiCheckOptions): Scanner {
  const detect = createPiiDetector({
    entities: o.entities,
    thresholds: thresholdsOf(o.thresholds),
    threshold: o.threshold,
  });
  const scanner: Scanner = { id, maxFindingLength: PII_MAX_FINDING_LENGTH, scan: (text) => detect(text) };
  // Name entities read words on both sides: only structured entities release text early.
  const names = (o.entities ?? PII_ENTITIES).some((e) => NAME_ENTITIES.has(e));
  return names ? scanner : { ...scanner, pendingStart: structuredPiiPendingStart };
}

export const piiInput: CheckDefinition<PiiCheckOptions> = {
  key: 'pii',
  stage: 'input',
  owasp: 'LLM02',
  summary: 'Personal data (e-mail, phone, card, IBAN, SSN, IP, names, places, …) in what reaches the model.',
  defaultOrigins: ['prompt', 'tool_result', 'document', 'tool_call_arguments'],
  actions: PII_ACTIONS,
  options: piiOptionsSchema,
  create: (o) => createPiiScanner('input.pii', o),
};

export const piiOutput: CheckDefinition<PiiCheckOptions> = {
  key: 'pii',
  stage: 'output',
  owasp: 'LLM02',
  summary: 'Personal data in the model’s answer and in the tool-call arguments it emits.',
  defaultOrigins: ['assistant', 'tool_call_arguments'],
  actions: PII_ACTIONS,
  options: piiOptionsSchema,
  create: (o) => createPiiScanner('output.pii', o),
};
