import { z } from 'zod';
import type { CheckDefinition, Scanner } from '../core/scanner.ts';
import type { Finding } from '../core/finding.ts';
import { checkOptions } from './check-options.ts';
import { secretsPendingStart } from './pending.ts';
import { SECRET_RULES, type SecretRule } from './secrets/rules.ts';
import { isPlaceholder, shannonEntropy } from './secrets/placeholder.ts';
import {
  MAX_PEM_LENGTH,
  findAuthorizationHeaders,
  findConnectionStringPasswords,
  findCurlCredentials,
  findGenericSecrets,
  findPrivateKeys,
  findUrlPasswords,
  type SecretCandidate,
} from './secrets/structural.ts';

export { SECRET_RULES } from './secrets/rules.ts';

const DEFAULT_THRESHOLD = 0.5;
const CONTEXT_WINDOW = 64;

/**
 * The longest secret one finding covers: a PEM private key, bounded (longer blocks are reported up
 * to this length, which is enough to act on them). Sizes the streaming hold-back.
 */
export const SECRETS_MAX_FINDING_LENGTH = MAX_PEM_LENGTH;

/** Ids of every rule a policy may name in `rules` / `disabledRules`. */
export const SECRET_RULE_IDS: readonly string[] = [
  ...SECRET_RULES.map((r) => r.id),
  'private-key',
  'url-password',
  'connection-string-password',
  'curl-basic-auth',
  'http-authorization-header',
  'generic-secret',
];

function applyRule(rule: SecretRule, text: string, out: SecretCandidate[]): void {
  for (const m of text.matchAll(rule.pattern)) {
    const secret = m.groups?.secret ?? m[0];
    const start = m.index + (m.groups?.secret === undefined ? 0 : m[0].length - secret.length);
    if (isPlaceholder(secret)) continue;
    if (rule.minEntropy !== undefined && shannonEntropy(secret) < rule.minEntropy) continue;
    if (rule.validate !== undefined && !rule.validate(secret)) continue;
    let score = rule.confidence;
    if (
      rule.context !== undefined &&
      !rule.context.test(text.slice(Math.max(0, start - CONTEXT_WINDOW), start))
    ) {
      if (rule.withoutContext === undefined) continue;
      score = rule.withoutContext;
    }
    out.push({
      rule: rule.id,
      entity: rule.entity,
      start,
      end: start + secret.length,
      score,
      reason: rule.description,
    });
  }
}

// Prefilter: one pass marks which character pairs occur in the text (code units folded to 8 bits,
// so a collision can only let a literal through, never hide it); a rule's literal is searched for
// only when all of its pairs occur. Ordinary prose then costs one pass plus a few lookups instead
// of one substring search per literal.
const PAIRS = new Uint8Array(1 << 16);
const pairKey = (a: number, b: number): number => ((a & 0xff) << 8) | (b & 0xff);

interface RuleLiterals {
  readonly rule: SecretRule;
  readonly literals: readonly { readonly literal: string; readonly pairs: readonly number[] }[];
}

type Prefilter = (text: string) => SecretRule[];

// Runs on every streamed delta's window: indexed loops, no per-literal closures or iterators and
// no per-call set, which unoptimised code would allocate for each of the ~150 literals.
function compilePrefilter(rules: readonly SecretRule[]): Prefilter {
  const compiled: RuleLiterals[] = rules.map((rule) => ({
    rule,
    literals: rule.prefilter.map((literal) => ({
      literal,
      pairs: Array.from({ length: Math.max(0, literal.length - 1) }, (_, k) =>
        pairKey(literal.charCodeAt(k), literal.charCodeAt(k + 1)),
      ),
    })),
  }));
  return (text) => {
    PAIRS.fill(0);
    let previous = text.charCodeAt(0);
    for (let i = 1; i < text.length; i++) {
      const c = text.charCodeAt(i);
      PAIRS[pairKey(previous, c)] = 1;
      previous = c;
    }
    // Rule order is kept so that results do not depend on which literal was seen first.
    const active: SecretRule[] = [];
    for (let r = 0; r < compiled.length; r++) {
      const { rule, literals } = compiled[r] as RuleLiterals;
      for (let l = 0; l < literals.length; l++) {
        const { literal, pairs } = literals[l] as RuleLiterals['literals'][number];
        if (allPairsSeen(pairs) && text.includes(literal)) {
          active.push(rule);
          break;
        }
      }
    }
    return active;
  };
}

function allPairsSeen(pairs: readonly number[]): boolean {
  for (let i = 0; i < pairs.length; i++) if (PAIRS[pairs[i] as number] !== 1) return false;
  return true;
}

// Provider rules know exactly what they found; the parsing detectors come next and the generic
// entropy detector last, so an overlap keeps the most specific explanation.
function specificity(rule: string): number {
  if (rule === 'generic-secret') return 0;
  if (rule === 'http-authorization-header' || rule === 'curl-basic-auth') return 1;
  return 2;
}

function resolveOverlaps(candidates: SecretCandidate[]): SecretCandidate[] {
  const ranked = [...candidates].sort(
    (a, b) =>
      specificity(b.rule) - specificity(a.rule) || b.score - a.score || b.end - b.start - (a.end - a.start),
  );
  const kept: SecretCandidate[] = [];
  for (const c of ranked) if (!kept.some((k) => k.start < c.end && c.start < k.end)) kept.push(c);
  return kept.sort((a, b) => a.start - b.start);
}

export interface SecretScanOptions {
  readonly threshold?: number | undefined;
  /** Rule ids to skip. */
  readonly disabledRules?: readonly string[] | undefined;
}

type StructuralDetector = (text: string, out: SecretCandidate[]) => void;

/** A compiled secret detector (thresholds and rule selection fixed when it is built). */
export function createSecretDetector(options: SecretScanOptions = {}): (text: string) => Finding[] {
  const disabled = new Set(options.disabledRules ?? []);
  const prefilter = compilePrefilter(SECRET_RULES.filter((r) => !disabled.has(r.id)));
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const structural: readonly [string, StructuralDetector][] = [
    ['private-key', findPrivateKeys],
    ['url-password', findUrlPasswords],
    ['connection-string-password', findConnectionStringPasswords],
    ['curl-basic-auth', findCurlCredentials],
    ['http-authorization-header', findAuthorizationHeaders],
    ['generic-secret', findGenericSecrets],
  ];
  const detectors = structural.filter(([id]) => !disabled.has(id)).map(([, find]) => find);
  return (text) => {
    const candidates: SecretCandidate[] = [];
    // Indexed loops: unoptimised code allocates an iterator and a result object per for-of step,
    // and this runs on every streamed delta.
    const rules = prefilter(text);
    for (let i = 0; i < rules.length; i++) applyRule(rules[i] as SecretRule, text, candidates);
    for (let i = 0; i < detectors.length; i++) (detectors[i] as StructuralDetector)(text, candidates);
    // The usual case on a streamed window; skips the copies and sorts of the overlap pass.
    if (candidates.length === 0) return [];
    return resolveOverlaps(candidates.filter((c) => c.score >= threshold)).map((c) => ({
      type: `secret.${c.rule}`,
      entity: c.entity,
      start: c.start,
      end: c.end,
      score: c.score,
      reason: `${c.entity}: ${c.reason}`,
      details: { rule: c.rule, length: c.end - c.start },
    }));
  };
}

const defaultDetector = createSecretDetector();

/** The `parapet scan --task secrets` contract, with every rule at the default threshold. */
export function scanSecrets(text: string): { flagged: boolean; score: number; findings: Finding[] } {
  const findings = defaultDetector(text);
  return {
    flagged: findings.length > 0,
    score: findings.reduce((m, f) => Math.max(m, f.score), 0),
    findings,
  };
}

const SECRET_ACTIONS = ['allow', 'block', 'redact', 'mask', 'hash'] as const;
const secretOptionsSchema = checkOptions(SECRET_ACTIONS).extend({
  disabledRules: z
    .array(z.string())
    .optional()
    .superRefine((ids, ctx) => {
      for (const id of ids ?? []) {
        if (!SECRET_RULE_IDS.includes(id))
          ctx.addIssue({ code: 'custom', message: `unknown secret rule "${id}"` });
      }
    }),
});
type SecretCheckOptions = z.infer<typeof secretOptionsSchema>;

function createSecretScanner(id: string, o: SecretCheckOptions): Scanner {
  const detect = createSecretDetector({ threshold: o.threshold, disabledRules: o.disabledRules });
  return {
    id,
    maxFindingLength: SECRETS_MAX_FINDING_LENGTH,
    scan: (text) => detect(text),
    pendingStart: secretsPendingStart,
  };
}

export const secretsInput: CheckDefinition<SecretCheckOptions> = {
  key: 'secrets',
  stage: 'input',
  owasp: 'LLM02',
  summary: 'Credentials (cloud keys, VCS/SaaS/AI tokens, private keys, passwords) sent to the model.',
  defaultOrigins: ['prompt', 'tool_result', 'document', 'tool_call_arguments', 'system'],
  actions: SECRET_ACTIONS,
  options: secretOptionsSchema,
  create: (o) => createSecretScanner('input.secrets', o),
};

export const secretsOutput: CheckDefinition<SecretCheckOptions> = {
  key: 'secrets',
  stage: 'output',
  owasp: 'LLM02',
  summary: 'Credentials in the model’s answer and in the tool-call arguments it emits.',
  defaultOrigins: ['assistant', 'tool_call_arguments'],
  actions: SECRET_ACTIONS,
  options: secretOptionsSchema,
  create: (o) => createSecretScanner('output.secrets', o),
};
