import type { CheckDefinition, Scanner } from '../core/scanner.ts';
import type { Finding } from '../core/finding.ts';
import { checkOptions } from './check-options.ts';
import { detectInjection, shippedModel } from './injection/index.ts';
import type { InjectionResult } from './injection/index.ts';
import { createJudge, judgeOptions } from './injection/llm-judge.ts';
import type { InjectionDetector } from './injection/llm-judge.ts';

// Findings span at most one classifier window or one rule match; decoded payloads map back to the
// encoded segment, which the decoder bounds. The stream hold-back is sized from this.
const MAX_FINDING = 4096;

const options = checkOptions(['allow', 'block']).extend({ judge: judgeOptions.optional() });
type InjectionOptions = ReturnType<typeof options.parse>;

/** The offline detector, compiled once: the model is loaded and validated when the policy loads. */
function offlineDetector(untrusted: boolean, threshold: number | undefined): InjectionDetector {
  const model = shippedModel();
  const limit = threshold ?? (untrusted ? model.thresholds.untrusted : model.thresholds.prompt);
  return { id: 'offline', detect: (text) => detectInjection(text, { model, threshold: limit }).findings };
}

/**
 * A scanner runs its detectors and reports every finding. Offline detectors are synchronous, so
 * without a judge the scanner stays synchronous; a heavier detector (LLM judge today, an ONNX model
 * later) is one more entry in the list.
 */
function createInjectionScanner(id: string, untrusted: boolean, o: InjectionOptions): Scanner {
  const detectors: InjectionDetector[] = [offlineDetector(untrusted, o.threshold)];
  if (o.judge !== undefined) detectors.push(createJudge(o.judge));
  return {
    id,
    maxFindingLength: MAX_FINDING,
    scan(text) {
      const results = detectors.map((d) => d.detect(text));
      if (results.every((r): r is readonly Finding[] => !(r instanceof Promise))) return results.flat();
      return Promise.all(results.map(async (r) => r)).then((all) => all.flat());
    },
  };
}

export const promptInjection: CheckDefinition<InjectionOptions> = {
  key: 'promptInjection',
  stage: 'input',
  owasp: 'LLM01',
  summary: 'Prompt-injection and jailbreak detection on what the caller writes.',
  defaultOrigins: ['prompt'],
  actions: ['allow', 'block'],
  options,
  create: (o) => createInjectionScanner('promptInjection', false, o),
};

export const indirectInjection: CheckDefinition<InjectionOptions> = {
  key: 'indirectInjection',
  stage: 'input',
  owasp: 'LLM01',
  summary: 'Instructions hidden in untrusted content: tool results, retrieved documents, MCP results.',
  defaultOrigins: ['tool_result', 'document'],
  actions: ['allow', 'block'],
  options,
  create: (o) => createInjectionScanner('indirectInjection', true, o),
};

/** The `parapet scan --task injection` contract: calibrated score, default user-input threshold. */
export function scanInjection(text: string): InjectionResult {
  return detectInjection(text);
}
