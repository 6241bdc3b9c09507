import type { CheckDefinition, Scanner } from '../core/scanner.ts';
import { checkOptions } from './check-options.ts';
import { detectInjection, shippedModel } from './injection/index.ts';
import type { InjectionResult } from './injection/index.ts';

// Findings span at most one classifier window or one rule match; decoded payloads map back to the
// encoded segment, which the decoder bounds. The stream hold-back is sized from this.
const MAX_FINDING = 4096;

function createInjectionScanner(id: string, untrusted: boolean, threshold: number | undefined): Scanner {
  // Compile once: the model is loaded (and validated) when the policy loads, not per request.
  const model = shippedModel();
  const limit = threshold ?? (untrusted ? model.thresholds.untrusted : model.thresholds.prompt);
  return {
    id,
    maxFindingLength: MAX_FINDING,
    scan(text) {
      return detectInjection(text, { model, threshold: limit }).findings;
    },
  };
}

const options = checkOptions(['allow', 'block']);

export const promptInjection: CheckDefinition = {
  key: 'promptInjection',
  stage: 'input',
  owasp: 'LLM01',
  summary: 'Prompt-injection and jailbreak detection on what the caller writes.',
  defaultOrigins: ['prompt'],
  actions: ['allow', 'block'],
  options,
  create: (o) => createInjectionScanner('promptInjection', false, o.threshold),
};

export const indirectInjection: CheckDefinition = {
  key: 'indirectInjection',
  stage: 'input',
  owasp: 'LLM01',
  summary: 'Instructions hidden in untrusted content: tool results, retrieved documents, MCP results.',
  defaultOrigins: ['tool_result', 'document'],
  actions: ['allow', 'block'],
  options,
  create: (o) => createInjectionScanner('indirectInjection', true, o.threshold),
};

/** The `parapet scan --task injection` contract: calibrated score, default user-input threshold. */
export function scanInjection(text: string): InjectionResult {
  return detectInjection(text);
}
