import type { CheckDefinition, Scanner } from '../core/scanner.ts';
import type { Finding } from '../core/finding.ts';
import { checkOptions } from './check-options.ts';

// First version (issue 2): blatant instruction-override attacks only. The full detector replaces
// the internals of `createInjectionScanner` without changing the check definitions.
const OVERRIDE =
  /\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|the\s+|your\s+|every\s+)?(?:previous|prior|above|earlier|preceding|system|initial|original)\s+(?:instructions?|prompts?|rules?|directions?|guidelines?|messages?)/giu;
const MAX_FINDING = 200;

function createInjectionScanner(id: string, threshold: number): Scanner {
  return {
    id,
    maxFindingLength: MAX_FINDING,
    scan(text) {
      const findings: Finding[] = [];
      for (const match of text.matchAll(OVERRIDE)) {
        const score = 0.95;
        if (score < threshold) continue;
        findings.push({
          type: 'injection.override',
          start: match.index,
          end: match.index + match[0].length,
          score,
          reason: 'instruction override: the text tells the model to ignore its previous instructions',
        });
      }
      return findings;
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
  create: (o) => createInjectionScanner('promptInjection', o.threshold ?? 0.5),
};

export const indirectInjection: CheckDefinition = {
  key: 'indirectInjection',
  stage: 'input',
  owasp: 'LLM01',
  summary: 'Instructions hidden in untrusted content: tool results, retrieved documents, MCP results.',
  defaultOrigins: ['tool_result', 'document'],
  actions: ['allow', 'block'],
  options,
  create: (o) => createInjectionScanner('indirectInjection', o.threshold ?? 0.5),
};
