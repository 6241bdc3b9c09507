import type { CheckDefinition } from '../core/scanner.ts';
import { indirectInjection, promptInjection } from './prompt-injection.ts';
import { piiInput, piiOutput } from './pii.ts';
import { secretsInput, secretsOutput } from './secrets.ts';
import { links } from './links.ts';
import { systemPromptLeak } from './system-prompt-leak.ts';
import { html } from './html.ts';
import { structuredOutput } from './structured-output.ts';

/**
 * Every check a policy can name, one line each. The policy schema, its docs and the CRD schema
 * are all derived from this list: adding a scanner is one new file and one line here.
 */
export const CHECKS: readonly CheckDefinition[] = [
  promptInjection,
  indirectInjection,
  piiInput,
  piiOutput,
  secretsInput,
  secretsOutput,
  links,
  systemPromptLeak,
  html,
  structuredOutput,
];
