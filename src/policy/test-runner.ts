import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import {
  ORIGINS,
  ROLES,
  type Conversation,
  type Message,
  type Origin,
  type Role,
} from '../core/conversation.ts';
import type { Decision } from '../core/decision.ts';
import { applyRewrites, type Guard } from '../core/guard.ts';
import { compileToolPolicies, injectionFlagged, type ToolPolicySet } from '../agency/gateway.ts';
import { conversationContext } from '../agency/judge.ts';
import { compileGuard } from './engine.ts';
import {
  formatPolicyError,
  loadPolicyFiles,
  parseYamlDocuments,
  type LoadedPolicy,
  type PolicyError,
} from './load.ts';

/**
 * Policy tests, OPA-style: a `<policy>.test.yaml` beside a policy lists conversations and what the
 * policy must decide about them. `parapet policy test` runs them, so a policy change that lets an
 * attack through (or starts blocking real traffic) fails before it is deployed.
 */

const messageSchema = z.strictObject({
  role: z.enum(ROLES),
  content: z.string(),
  /** Where the text came from; default from the role (user → prompt, tool → tool_result). */
  origin: z.enum(ORIGINS).optional(),
});

const caseSchema = z
  .strictObject({
    name: z.string().min(1),
    /** The model the request names. Without it, the file's policies apply whatever their `match`. */
    model: z.string().min(1).optional(),
    messages: z.array(messageSchema).default([]),
    /** An answer to run the output checks on (when the input is not blocked). */
    output: z.string().optional(),
    /** Tool calls the model makes, checked in order against `spec.tools`. */
    toolCalls: z
      .array(
        z.strictObject({ name: z.string().min(1), arguments: z.record(z.string(), z.unknown()).default({}) }),
      )
      .default([]),
    expect: z.strictObject({
      blocked: z.boolean(),
      /** The rule that blocked. */
      rule: z.string().min(1).optional(),
      /** Exactly these rules fired (recorded a decision), in any order. */
      fired: z.array(z.string().min(1)).optional(),
      /** Message contents after input rewrites, in order. */
      messages: z.array(z.string()).optional(),
      /** The answer after output rewrites. */
      output: z.string().optional(),
      /** The decision on each tool call, in order. */
      toolCalls: z.array(z.enum(['allow', 'deny', 'approve'])).optional(),
    }),
  })
  .refine((c) => c.messages.length > 0 || c.output !== undefined || c.toolCalls.length > 0, {
    error: 'a case needs messages, an output or tool calls',
  })
  .refine((c) => c.expect.toolCalls === undefined || c.expect.toolCalls.length === c.toolCalls.length, {
    error: 'expect.toolCalls needs one action per tool call',
  })
  .refine((c) => c.expect.rule === undefined || c.expect.blocked, {
    error: 'expect.rule names the blocking rule, so it needs expect.blocked: true',
  });

const testFileSchema = z.strictObject({
  /** Policy files or directories, relative to the test file. Default: `<name>.yaml` beside it. */
  policies: z.array(z.string().min(1)).min(1).optional(),
  cases: z.array(caseSchema).min(1),
});

type PolicyTestCase = z.output<typeof caseSchema>;

export interface PolicyTestResult {
  readonly file: string;
  readonly name: string;
  readonly passed: boolean;
  /** What differed from the expectation, one line each. */
  readonly failures: readonly string[];
}

export interface PolicyTestReport {
  readonly results: readonly PolicyTestResult[];
  /** Test files or the policies they name that do not load; their cases did not run. */
  readonly errors: readonly PolicyError[];
  readonly passed: boolean;
}

const TEST_FILE = /\.test\.ya?ml$/;

/** Run the policy tests in the given `*.test.yaml` files and directories. */
export async function runPolicyTests(paths: readonly string[]): Promise<PolicyTestReport> {
  const errors: PolicyError[] = [];
  const files: string[] = [];
  for (const path of paths) {
    try {
      if ((await stat(path)).isDirectory()) {
        const names = (await readdir(path)).filter((n) => TEST_FILE.test(n) && !n.startsWith('.')).sort();
        files.push(...names.map((n) => join(path, n)));
      } else {
        files.push(path);
      }
    } catch {
      errors.push({
        file: path,
        line: 0,
        column: 0,
        path: '',
        message: 'no such file or directory',
        code: 'io_error',
      });
    }
  }
  if (files.length === 0 && errors.length === 0) {
    errors.push({
      file: paths.join(', '),
      line: 0,
      column: 0,
      path: '',
      message: 'no *.test.yaml policy test files found',
      code: 'no_policy_files',
    });
  }

  const results: PolicyTestResult[] = [];
  for (const file of files) results.push(...(await runFile(file, errors)));
  // Two test files naming the same broken policy would report its errors twice.
  const unique = [...new Map(errors.map((e) => [formatPolicyError(e), e])).values()];
  return { results, errors: unique, passed: unique.length === 0 && results.every((r) => r.passed) };
}

async function runFile(file: string, errors: PolicyError[]): Promise<PolicyTestResult[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    errors.push({ file, line: 0, column: 0, path: '', message: 'cannot read', code: 'io_error' });
    return [];
  }
  const fileErrors: PolicyError[] = [];
  const documents = parseYamlDocuments(text, file, testFileSchema, 'policy test', fileErrors);
  errors.push(...fileErrors.sort((a, b) => a.line - b.line || a.column - b.column));
  const results: PolicyTestResult[] = [];
  for (const { value } of documents) {
    const policyPaths = (value.policies ?? [basename(file).replace(TEST_FILE, '.yaml')]).map((p) =>
      resolve(dirname(file), p),
    );
    const loaded = await loadPolicyFiles(policyPaths);
    if (loaded.errors.length > 0) {
      errors.push(...loaded.errors);
      continue;
    }
    const everywhere = loaded.policies.map(matchingEverything);
    const byModel: Subject = {
      guard: compileGuard(loaded.policies),
      tools: compileToolPolicies(loaded.policies),
    };
    const direct: Subject = { guard: compileGuard(everywhere), tools: compileToolPolicies(everywhere) };
    for (const c of value.cases) {
      const failures = await runCase(c.model === undefined ? direct : byModel, c);
      results.push({ file, name: c.name, passed: failures.length === 0, failures });
    }
  }
  return results;
}

function matchingEverything(loaded: LoadedPolicy): LoadedPolicy {
  const { spec } = loaded.policy;
  return {
    ...loaded,
    policy: { ...loaded.policy, spec: { ...spec, match: { ...spec.match, models: ['*'] } } },
  };
}

const ORIGIN_OF_ROLE: Readonly<Record<Role, Origin>> = {
  system: 'system',
  developer: 'system',
  user: 'prompt',
  assistant: 'assistant',
  tool: 'tool_result',
};

function conversationOf(c: PolicyTestCase): Conversation {
  const messages: Message[] = c.messages.map((m, i) => ({
    role: m.role,
    toolCalls: [],
    segments: [
      {
        text: m.content,
        role: m.role,
        origin: m.origin ?? ORIGIN_OF_ROLE[m.role],
        path: ['messages', i, 'content'],
        messageIndex: i,
      },
    ],
  }));
  return {
    api: 'openai',
    endpoint: 'chat',
    model: c.model ?? 'policy-test',
    stream: false,
    messages,
    tools: [],
  };
}

/** What a case runs against: the text checks and the tool rules of the same policies. */
interface Subject {
  readonly guard: Guard;
  readonly tools: ToolPolicySet;
}

async function runCase(subject: Subject, c: PolicyTestCase): Promise<string[]> {
  const conversation = conversationOf(c);
  const exchange = subject.guard.begin(conversation, {
    requestId: `policy-test:${c.name}`,
    identity: 'policy-test',
  });
  const input = await exchange.checkInput();
  const decisions: Decision[] = [...input.decisions];
  let block = input.block;
  const rewritten = c.messages.map((m, i) => {
    const edit = input.edits.find((e) => e.path[1] === i);
    return edit ? applyRewrites(m.content, edit.rewrites) : m.content;
  });
  let answer = c.output;
  if (!block && c.output !== undefined) {
    const verdict = await exchange.output.scan(c.output, 'assistant');
    decisions.push(...verdict.decisions);
    block = verdict.block;
    answer = applyRewrites(c.output, verdict.rewrites);
  }

  const toolActions = block ? [] : decideToolCalls(subject.tools, conversation, input.decisions, c);

  const failures: string[] = [];
  const { expect } = c;
  if (expect.blocked !== (block !== undefined))
    failures.push(
      expect.blocked ? 'expected a block, nothing blocked' : `expected no block, blocked by ${block?.rule}`,
    );
  if (expect.rule !== undefined && block !== undefined && block.rule !== expect.rule)
    failures.push(`expected the block by ${expect.rule}, blocked by ${block.rule}`);
  if (expect.fired) {
    const fired = [...new Set(decisions.map((d) => d.rule))].sort();
    const wanted = [...new Set(expect.fired)].sort();
    if (fired.join('\n') !== wanted.join('\n'))
      failures.push(`expected rules [${wanted.join(', ')}] to fire, fired [${fired.join(', ')}]`);
  }
  expect.messages?.forEach((want, i) => {
    const got = rewritten[i];
    if (got !== want)
      failures.push(`messages[${i}]: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  });
  if (expect.output !== undefined && block === undefined && answer !== expect.output)
    failures.push(`output: expected ${JSON.stringify(expect.output)}, got ${JSON.stringify(answer)}`);
  expect.toolCalls?.forEach((want, i) => {
    const got = toolActions[i];
    if (got !== undefined && got.action !== want)
      failures.push(
        `toolCalls[${i}] (${c.toolCalls[i]?.name}): expected ${want}, got ${got.action} by ${got.rule}`,
      );
  });
  return failures;
}

/**
 * Decide the case's tool calls as the gateway would: the highest-priority matching policy with
 * `spec.tools` decides, untrusted content or an injection finding taints the context, and each
 * call counts towards the per-conversation budgets of the calls after it. No policy with
 * `spec.tools`: tools are not governed and every call is allowed.
 */
function decideToolCalls(
  tools: ToolPolicySet,
  conversation: Conversation,
  inputDecisions: readonly Decision[],
  c: PolicyTestCase,
): { action: 'allow' | 'deny' | 'approve'; rule: string }[] {
  const policy = tools.forModel(conversation.model);
  const context = conversationContext(conversation, injectionFlagged(inputDecisions));
  const calls: Record<string, number> = { ...context.calls };
  return c.toolCalls.map((call) => {
    if (!policy) return { action: 'allow', rule: '(no spec.tools applies)' };
    const decision = policy.decideToolCall({
      tool: call.name,
      args: call.arguments,
      identity: { id: 'policy-test', tenant: 'policy-test' },
      request: { model: conversation.model },
      context: { ...context, calls: { ...calls } },
    });
    calls[call.name] = (calls[call.name] ?? 0) + 1;
    return { action: decision.action, rule: decision.rule };
  });
}

/** A readable report: one line per case, failures indented, load errors first. */
export function formatPolicyTestReport(report: PolicyTestReport): string {
  const lines = report.errors.map(formatPolicyError);
  for (const r of report.results) {
    lines.push(`${r.passed ? 'PASS' : 'FAIL'} ${r.file}: ${r.name}`);
    for (const f of r.failures) lines.push(`  - ${f}`);
  }
  const failed = report.results.filter((r) => !r.passed).length;
  lines.push(
    `${report.results.length - failed} passed, ${failed} failed${report.errors.length > 0 ? `, ${report.errors.length} error(s)` : ''}`,
  );
  return lines.join('\n');
}
