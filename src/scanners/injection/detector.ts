/**
 * The offline injection detector: de-obfuscate, gather the three kinds of evidence (rule families,
 * the n-gram classifier, structural signals) on the text and on every decoded payload, and
 * combine them into one calibrated score with a logistic combiner fitted on held-out folds.
 */
import type { Finding } from '../../core/finding.ts';
import { DEFAULT_DECODE_LIMITS, decodedPayloads, normalize } from '../normalize/index.ts';
import type { DecodeHints, Normalized, Payload } from '../normalize/index.ts';
import { classify } from './classifier.ts';
import type { LinearModel, LoadedModel, Window } from './classifier.ts';
import { ANCHOR_BITS, scanWords } from './anchors.ts';
import type { WordScan } from './anchors.ts';
import { forEachFeature } from './features.ts';
import { matchRules, RULE_FAMILIES } from './rules.ts';
import type { RuleHit, RuleId } from './rules.ts';
import { structureSignals } from './structure.ts';
import type { StructureSignals } from './structure.ts';
import { suffixStart, unknownTail } from './vocabulary.ts';
import { harmWords } from './harm.ts';

/** Signal names, in the order of the combiner's weights. Changing it needs a retrained model. */
export const SIGNAL_NAMES: readonly string[] = [
  'classifier.whole',
  'classifier.window_mean',
  'classifier.window',
  ...RULE_FAMILIES.map((f) => `rule.${f.id}`),
  'structure.addresses_assistant',
  'structure.imperatives',
  'structure.question_lines',
  'structure.table_prose_lines',
  'structure.role_shifts',
  'structure.gibberish',
  'obfuscation',
  'payload.classifier',
  'foreign.core_rule',
  'foreign.addresses_assistant',
  'structure.discussion',
  'structure.self_reference',
  'structure.orders_to_assistant',
  'structure.unknown_tail',
  'topic.harm',
  'structure.secret_requests',
  'structure.guard_rules',
];

/**
 * Whether the text is mostly not English. The n-gram classifier learnt from English data, so in
 * other languages the combiner leans on the multilingual rule families and structure instead
 * (the interaction weights are learnt from the project's multilingual templates and written
 * rows). `words` is the text's `scanWords` result (word and English-stopword counts).
 */
export function foreignShare(text: string, words: WordScan = scanWords(text)): number {
  const letters = words.asciiLetters + words.otherLetters;
  if (letters < 8) return 0;
  if (words.asciiLetters / letters < 0.7) return 1;
  return words.words >= 4 && words.englishStopwords / words.words < 0.08 ? 1 : 0;
}

interface PayloadEvidence {
  readonly payload: Payload;
  readonly hits: readonly RuleHit[];
  readonly logit: number;
}

export interface Evidence {
  readonly normalized: Normalized;
  readonly whole: number;
  readonly windowMax: number;
  readonly windowMean: number;
  readonly window: Window;
  readonly hits: readonly RuleHit[];
  readonly structure: StructureSignals;
  readonly payloads: readonly PayloadEvidence[];
  /** 1 when the text is mostly not English (see `foreignShare`). */
  readonly foreign: number;
  /** Drop in the share of known words at the text's end (see `unknownTail`). */
  readonly unknownTail: number;
  /** Where the text's last 15 words start: the span of an adversarial-suffix finding. */
  readonly suffixStart: number;
  /** Words of harmful subject matter (see harm.ts), at most 8. */
  readonly harmWords: number;
}

/** Deepest nesting of encodings followed (base64 of hex of …). */
const MAX_DECODE_DEPTH = 2;

function payloadEvidence(
  text: string,
  linear: LinearModel,
  depth: number,
  out: PayloadEvidence[],
  hints?: DecodeHints,
): void {
  for (const payload of decodedPayloads(text, DEFAULT_DECODE_LIMITS, hints)) {
    const inner = normalize(payload.text).text;
    const scores = classify(linear, inner);
    out.push({
      payload,
      hits: matchRules(inner, scanWords(inner)),
      logit: Math.max(scores.whole, scores.windowMax),
    });
    if (depth + 1 < MAX_DECODE_DEPTH && out.length < 16) payloadEvidence(inner, linear, depth + 1, out);
  }
}

/** `knownWords` is the model's known-word set (see vocabulary.ts). */
export function gatherEvidence(text: string, linear: LinearModel, knownWords: Int32Array): Evidence {
  const normalized = normalize(text);
  const scores = classify(linear, normalized.text);
  const words = scanWords(normalized.text);
  const payloads: PayloadEvidence[] = [];
  payloadEvidence(normalized.text, linear, 0, payloads, {
    rot13Words: (words.mask & ANCHOR_BITS.rot13Words) !== 0,
  });
  const foreign = foreignShare(normalized.text, words);
  return {
    normalized,
    whole: scores.whole,
    windowMax: scores.windowMax,
    windowMean: scores.windowMean,
    window: scores.window,
    hits: matchRules(normalized.text, words),
    structure: structureSignals(normalized.text, words),
    payloads,
    foreign,
    // The vocabulary is English: in another language every word is unknown.
    unknownTail: foreign === 0 ? unknownTail(words, knownWords) : 0,
    suffixStart: suffixStart(words),
    harmWords: harmWords(words),
  };
}

if (RULE_FAMILIES.length > 31) throw new Error('more rule families than bits in a fired-family mask');
/** Each rule family's bit in a mask of fired families, in `RULE_FAMILIES` order. */
const FAMILY_BIT = new Map(RULE_FAMILIES.map((f, i) => [f.id, 1 << i]));
function familyBits(ids: readonly RuleId[]): number {
  let bits = 0;
  for (const id of ids) bits |= FAMILY_BIT.get(id) ?? 0;
  return bits;
}
const CORE_RULES = familyBits([
  'injection.override',
  'jailbreak.persona',
  'injection.system_prompt_extraction',
  'injection.false_authority',
  'injection.credential_request',
]);

// Text length is deliberately not a signal: in the development data short texts are mostly
// attacks, an artefact that would flag every short greeting.
export function signalVector(e: Evidence): number[] {
  // The fired families as a bit mask: a Set of ids cost more than the rest of the vector.
  let fired = 0;
  for (const h of e.hits) fired |= FAMILY_BIT.get(h.id) ?? 0;
  let payloadLogit = 0;
  for (const p of e.payloads) {
    for (const h of p.hits) fired |= FAMILY_BIT.get(h.id) ?? 0;
    payloadLogit = Math.max(payloadLogit, p.logit);
  }
  const s = e.structure;
  const coreRule = (fired & CORE_RULES) !== 0;
  const signals = [e.whole, e.windowMean, e.windowMax];
  for (let i = 0; i < RULE_FAMILIES.length; i++) signals.push((fired >>> i) & 1);
  signals.push(
    Math.log1p(s.addressesAssistant),
    Math.log1p(s.imperatives),
    Math.min(1, s.offGenreLines - s.tableProseLines),
    Math.min(1, s.tableProseLines),
    Math.log1p(s.roleShifts),
    s.gibberish * 4,
    Math.min(3, e.normalized.transforms.length + e.payloads.length),
    payloadLogit,
    e.foreign * (coreRule ? 1 : 0),
    e.foreign * Math.min(1, s.addressesAssistant + s.roleShifts),
    s.discussion,
    s.selfReference,
    Math.log1p(s.ordersToAssistant),
    e.unknownTail,
    Math.log1p(e.harmWords),
    s.secretRequests,
    s.guardRules,
  );
  return signals;
}

const standardised = new Float64Array(64);

export function combine(model: LoadedModel['combiner'], signals: readonly number[]): number {
  const d = model.names.length;
  // Standardised once, not once per hidden unit (30 units).
  const x = d <= standardised.length ? standardised : new Float64Array(d);
  for (let k = 0; k < d; k++) x[k] = ((signals[k] ?? 0) - (model.mean[k] ?? 0)) / (model.std[k] ?? 1);
  let z = model.bias;
  for (let j = 0; j < model.weights.length; j++) {
    let a = model.hiddenBias[j] ?? 0;
    for (let k = 0; k < d; k++) a += (model.hiddenWeights[j * d + k] ?? 0) * (x[k] ?? 0);
    z += (model.weights[j] ?? 0) * Math.tanh(a);
  }
  return 1 / (1 + Math.exp(-z));
}

/** The character n-grams of a window that push its score up most (for explanations). */
export function topNgrams(linear: LinearModel, text: string, window: Window, k = 5): string[] {
  const contributions = new Map<string, number>();
  forEachFeature(text, window.start, window.end, (index, position, length) => {
    if (length < 3) return;
    const gram = text.slice(Math.max(window.start, position - length + 1), position + 1).toLowerCase();
    contributions.set(gram, (contributions.get(gram) ?? 0) + (linear.weights[index] ?? 0));
  });
  return [...contributions]
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([gram]) => gram.trim())
    .filter((g) => g.length > 0);
}

const TECHNIQUE = new Map(RULE_FAMILIES.map((f) => [f.id, f.technique]));

const TRANSFORM_NAMES: Readonly<Record<string, string>> = {
  base64: 'base64 segment',
  base32: 'base32 segment',
  hex: 'hex segment',
  binary: 'binary segment',
  morse: 'Morse-code segment',
  'url-encoding': 'URL-encoded segment',
  'html-entities': 'HTML-entity segment',
  'unicode-escapes': 'Unicode-escape segment',
  rot13: 'ROT13 segment',
};

export interface Analysis {
  /** Calibrated probability that the text is an injection or jailbreak. */
  readonly score: number;
  readonly signals: readonly number[];
  readonly evidence: Evidence;
  /** Calibrated score of each decoded payload scanned as a text of its own. */
  readonly payloadScores: readonly number[];
}

export function analyze(model: LoadedModel, text: string): Analysis {
  const evidence = gatherEvidence(text, model.linear, model.knownWords);
  const signals = signalVector(evidence);
  let score = combine(model.combiner, signals);
  // A decoded payload is read by the model as text in its own right, so it is scored as one: an
  // instruction hidden in base64 counts as much as the same instruction in plain text.
  const payloadScores = evidence.payloads.map((p) => {
    const inner = gatherEvidence(p.payload.text, model.linear, model.knownWords);
    return combine(model.combiner, signalVector(inner));
  });
  for (const s of payloadScores) score = Math.max(score, s);
  return { score, signals, evidence, payloadScores };
}

// An adversarial-suffix finding needs one of these: each is above what 99% of the benign
// development rows reach.
const SUFFIX_UNKNOWN_TAIL = 0.3;
const SUFFIX_GIBBERISH = 0.2;

/** Explain an analysis as findings with spans in the ORIGINAL text. */
export function explain(model: LoadedModel, a: Analysis): Finding[] {
  const e = a.evidence;
  const findings: Finding[] = [];
  const transforms = e.normalized.transforms.map((t) => t.kind).join(', ');
  const base = { score: round(a.score) };
  const seen = new Set<RuleId>();
  for (const hit of e.hits) {
    if (seen.has(hit.id)) continue;
    seen.add(hit.id);
    const span = e.normalized.span(hit.start, hit.end);
    findings.push({
      type: hit.id,
      ...span,
      ...base,
      reason: TECHNIQUE.get(hit.id) ?? hit.id,
      details: {
        owasp: 'LLM01',
        signal: 'rule',
        ...(transforms !== '' ? { transformations: transforms } : {}),
      },
    });
  }
  for (const [i, p] of e.payloads.entries()) {
    const inner = p.hits[0];
    if (inner === undefined && (a.payloadScores[i] ?? 0) < 0.5) continue;
    const span = e.normalized.span(p.payload.start, p.payload.end);
    const what =
      inner !== undefined
        ? (TECHNIQUE.get(inner.id)?.split(':')[0] ?? inner.id)
        : 'text the classifier scores as an injection';
    const type = inner?.id ?? 'injection.encoded_payload';
    findings.push({
      type,
      ...span,
      ...base,
      reason: `${TRANSFORM_NAMES[p.payload.kind] ?? p.payload.kind} at ${span.start}–${span.end} holds ${inner !== undefined ? `${/^[aeiou]/i.test(what) ? 'an' : 'a'} ${what}` : what}`,
      details: { owasp: 'LLM01', signal: 'decoded-payload', transformation: p.payload.kind },
    });
  }
  const s = e.structure;
  if (s.addressesAssistant + s.ordersToAssistant + s.roleShifts + s.offGenreLines > 0) {
    const first = s.spans.find((x) => x.signal !== 'imperative') ?? s.spans[0];
    if (first !== undefined) {
      const span = e.normalized.span(first.start, first.end);
      findings.push({
        type: 'injection.addresses_assistant',
        ...span,
        ...base,
        reason: `the text addresses the assistant (${first.signal}) instead of being plain content`,
        details: {
          owasp: 'LLM01',
          signal: 'structure',
          addresses: s.addressesAssistant,
          orders: s.ordersToAssistant,
          imperatives: s.imperatives,
          offGenreLines: s.offGenreLines,
          roleShifts: s.roleShifts,
        },
      });
    }
  }
  // A request for the model's secret is the extraction technique by another route; reported once.
  const secret = s.spans.find((x) => x.signal === 'request for a guarded secret');
  if (secret !== undefined && !seen.has('injection.system_prompt_extraction')) {
    const span = e.normalized.span(secret.start, secret.end);
    findings.push({
      type: 'injection.system_prompt_extraction',
      ...span,
      ...base,
      reason: 'asks for a secret the model guards, by any route (its letters, a hint, a rhyme, an encoding)',
      details: { owasp: 'LLM01', signal: 'structure', secretRequests: s.secretRequests },
    });
  }
  // An optimised suffix: unknown words or code punctuation at the end, each above what 99% of the
  // benign development rows reach.
  if (e.unknownTail >= SUFFIX_UNKNOWN_TAIL || s.gibberish >= SUFFIX_GIBBERISH) {
    const span = e.normalized.span(e.suffixStart, e.normalized.text.length);
    findings.push({
      type: 'jailbreak.adversarial_suffix',
      ...span,
      ...base,
      reason: 'the text ends in word pieces and code punctuation, as optimised adversarial suffixes (GCG) do',
      details: {
        owasp: 'LLM01',
        signal: 'structure',
        unknownTail: round(e.unknownTail),
        gibberish: round(s.gibberish),
      },
    });
  }
  // The classifier's best passage is always part of the explanation: it says where the model looked.
  const windowSpan = e.normalized.span(e.window.start, e.window.end);
  findings.push({
    type: 'injection.classifier',
    ...windowSpan,
    ...base,
    reason: 'the n-gram classifier scores this passage as an injection or jailbreak',
    details: {
      owasp: 'LLM01',
      signal: 'classifier',
      wholeLogit: round(e.whole),
      windowLogit: round(e.windowMax),
      topFeatures: topNgrams(model.linear, e.normalized.text, e.window).join(' | '),
      harmfulTopicWords: e.harmWords,
      ...(transforms !== '' ? { transformations: transforms } : {}),
    },
  });
  return findings;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
