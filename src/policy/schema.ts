import { z } from 'zod';
import type { CheckDefinition, CheckOptions } from '../core/scanner.ts';
import type { Stage } from '../core/decision.ts';
import { CHECKS } from '../scanners/index.ts';
import { compileCondition, ConditionCompileError } from '../agency/conditions.ts';

/**
 * The one schema of a `GuardrailPolicy` document. It validates policy files, gives the TypeScript
 * types (`z.output`) and, through `policyJsonSchema()`, the Kubernetes CRD schema. `spec.input` and
 * `spec.output` are assembled from the scanner registry, so registering a check makes its policy
 * key exist with no change here.
 */

export const API_VERSION = 'parapet.dev/v1alpha1';
export const KIND = 'GuardrailPolicy';

// Kubernetes object names are DNS-1123 subdomains: lowercase alphanumerics, '-' and '.', at most
// 253 characters, starting and ending with an alphanumeric.
const DNS_SUBDOMAIN = /^[a-z0-9](?:[-.a-z0-9]{0,251}[a-z0-9])?$/;
// Label keys may carry a DNS prefix (`team.example.com/owner`); values are short and plain.
const LABEL_KEY = /^(?:[a-z0-9](?:[-.a-z0-9]{0,251}[a-z0-9])?\/)?[a-z0-9](?:[-.\w]{0,61}[a-z0-9])?$/i;
const LABEL_VALUE = /^(?:[a-z0-9](?:[-.\w]{0,61}[a-z0-9])?)?$/i;

const dnsName = z.string().max(253).regex(DNS_SUBDOMAIN, {
  error:
    "expected a DNS-1123 name (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit)",
});

const glob = z.string().min(1).max(256);

const metadataSchema = z.strictObject({
  name: dnsName,
  namespace: dnsName.optional(),
  labels: z
    .record(
      z
        .string()
        .regex(LABEL_KEY, { error: 'label keys are Kubernetes label keys, e.g. team or example.com/team' }),
      z.string().regex(LABEL_VALUE, { error: 'label values are at most 63 letters, digits, - _ .' }),
    )
    .optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const matchSchema = z.strictObject({
  /** Globs over the requested model name (`*`, `?`). */
  models: z.array(glob).min(1).default(['*']),
  /** Globs over the authenticated identity; reserved until identities land (issue 6). */
  identities: z.array(glob).min(1).optional(),
});

/** The check registry entries of one stage, in registry order. */
export function checksOf(stage: Stage): readonly CheckDefinition[] {
  return CHECKS.filter((c) => c.stage === stage);
}

/** The definition of `spec.<stage>.<key>`, when one is registered. */
export function findCheck(stage: Stage, key: string): CheckDefinition | undefined {
  return CHECKS.find((c) => c.stage === stage && c.key === key);
}

export type PolicyChecks = Readonly<Record<string, CheckOptions | undefined>>;

function stageSchema(stage: Stage): z.ZodType<PolicyChecks, PolicyChecks> {
  const shape: Record<string, z.ZodOptional<z.ZodType<CheckOptions>>> = {};
  for (const check of checksOf(stage)) shape[check.key] = check.options.optional();
  return z.strictObject(shape) as unknown as z.ZodType<PolicyChecks, PolicyChecks>;
}

const positiveInt = z.int().min(1);

/** A tool-rule condition: compiled (parsed and type-checked) here so `validate` reports its errors. */
const condition = z
  .string()
  .min(1)
  .superRefine((source, ctx) => {
    try {
      compileCondition(source, 'when');
    } catch (error) {
      if (!(error instanceof ConditionCompileError)) throw error;
      ctx.addIssue({
        code: 'custom',
        message: `invalid CEL condition at column ${error.column}: ${error.detail}`,
        params: { reason: 'invalid_condition', column: error.column },
      });
    }
  });

const toolRuleSchema = z.strictObject({
  /** Glob over the tool name. */
  name: glob,
  action: z.enum(['allow', 'deny', 'approve']),
  /** CEL over `args`, `identity`, `request`, `context`; when false the rule is skipped. */
  when: condition.optional(),
  /** Labels carried by every tool this rule's name matches (`sensitive`, `egress`, …). */
  labels: z.array(z.string().min(1).max(63)).optional(),
  /** Calls beyond this many in one conversation are denied when this rule decides. */
  maxCallsPerConversation: positiveInt.optional(),
});

const toolsSchema = z.strictObject({
  /** For tools no rule matches. */
  default: z.enum(['allow', 'deny']).default('deny'),
  /** Ordered: the first rule whose name matches and whose `when` holds decides. */
  rules: z.array(toolRuleSchema).default([]),
  /** Once untrusted content is in the context, tools with these labels need approval or are denied. */
  taint: z
    .strictObject({
      action: z.enum(['approve', 'deny']).default('approve'),
      labels: z.array(z.string().min(1).max(63)).default(['sensitive', 'egress']),
    })
    .optional(),
  approval: z
    .strictObject({
      /** A pending approval is denied after this long. */
      timeoutSeconds: z.int().min(1).max(86_400).default(120),
    })
    .optional(),
});

const budgetSchema = z
  .strictObject({
    period: z.enum(['hour', 'day', 'week', 'month']).default('month'),
    /** Prompt plus completion tokens per period. */
    tokens: positiveInt.optional(),
    /** Estimated spend per period, in US dollars (from the model price table). */
    usd: z.number().positive().optional(),
  })
  .refine((b) => b.tokens !== undefined || b.usd !== undefined, {
    error: 'a budget needs tokens or usd (or both)',
  });

const limitsSchema = z.strictObject({
  /** Per identity, across replicas. */
  requestsPerMinute: positiveInt.optional(),
  /** Prompt plus completion tokens per identity per minute. */
  tokensPerMinute: positiveInt.optional(),
  /** Larger prompts are rejected before the upstream call. */
  maxPromptTokens: positiveInt.optional(),
  maxRequestBytes: positiveInt.optional(),
  /** In-flight requests per identity. */
  concurrency: positiveInt.optional(),
  budget: budgetSchema.optional(),
});

const specSchema = z.strictObject({
  mode: z.enum(['enforce', 'monitor']).default('enforce'),
  match: matchSchema.default({ models: ['*'] }),
  /** Higher runs first when several policies apply to one model. */
  priority: z.int().min(-1000).max(1000).default(0),
  input: stageSchema('input').default({}),
  output: stageSchema('output').default({}),
  tools: toolsSchema.optional(),
  limits: limitsSchema.optional(),
});

export const guardrailPolicySchema = z.strictObject({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal(KIND),
  metadata: metadataSchema,
  spec: specSchema,
});

/** A validated policy, defaults filled in. */
export type GuardrailPolicy = z.output<typeof guardrailPolicySchema>;
/** A policy as an author writes it (defaults optional). */
export type GuardrailPolicyInput = z.input<typeof guardrailPolicySchema>;
export type PolicyMetadata = GuardrailPolicy['metadata'];
export type PolicySpec = GuardrailPolicy['spec'];
export type PolicyMatch = PolicySpec['match'];
export type PolicyTools = z.output<typeof toolsSchema>;
export type ToolRule = z.output<typeof toolRuleSchema>;
export type PolicyLimits = z.output<typeof limitsSchema>;
export type PolicyBudget = z.output<typeof budgetSchema>;

/**
 * JSON Schema of a policy document as written (defaults not required), for the CRD's
 * `openAPIV3Schema` and editor completion. Refinements (CEL compilation, budget) are not
 * representable and are checked by `parapet policy validate` and the controller.
 */
export function policyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(guardrailPolicySchema, { io: 'input', unrepresentable: 'any' });
}
