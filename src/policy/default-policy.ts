import type { Stage } from '../core/decision.ts';
import type { LoadedPolicy } from './load.ts';
import { API_VERSION, findCheck, guardrailPolicySchema, KIND, type GuardrailPolicyInput } from './schema.ts';

export const DEFAULT_POLICY_NAME = 'parapet-default';

/**
 * The built-in policy: applies when no policy is given, and to every model that no loaded policy
 * matches. One line per check; a line whose check is not registered yet is left out, so the
 * defaults of a later check take effect the moment its registry line lands.
 */
const DEFAULT_CHECKS: Readonly<Record<Stage, Readonly<Record<string, Readonly<Record<string, unknown>>>>>> = {
  input: {
    promptInjection: { action: 'block' },
    indirectInjection: { action: 'block' },
    secrets: { action: 'block' },
    // PII is recorded, not changed, unless a policy says otherwise (issue 4).
    pii: { action: 'allow' },
  },
  output: {
    secrets: { action: 'redact' },
    // Exfiltration links: images and embeds (fetched without a click) and links whose URL carries
    // data; an ordinary link to another host scores 0.5 and stays (docs/output-handling.md).
    links: { action: 'redact', threshold: 0.6 },
    systemPromptLeak: { action: 'block' },
  },
};

function registered(stage: Stage): Record<string, unknown> {
  return Object.fromEntries(Object.entries(DEFAULT_CHECKS[stage]).filter(([key]) => findCheck(stage, key)));
}

/** The default policy, validated by the same schema as any file (throws if a default is invalid). */
export function defaultPolicy(): LoadedPolicy {
  const document = {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: {
      name: DEFAULT_POLICY_NAME,
      annotations: { 'parapet.dev/description': 'Built-in defaults for models no policy matches.' },
    },
    spec: {
      mode: 'enforce',
      match: { models: ['*'] },
      input: registered('input'),
      output: registered('output'),
    },
  } as GuardrailPolicyInput;
  return {
    name: DEFAULT_POLICY_NAME,
    policy: guardrailPolicySchema.parse(document),
    file: '<built-in>',
    line: 0,
  };
}
