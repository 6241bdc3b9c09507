import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileToolPolicy,
  ToolPolicyCompileError,
  type ToolCallInput,
  type ToolsSpec,
} from './tool-policy.ts';
import { compileGlob } from './glob.ts';

// The rules of ../shared/examples/guardrail-policy.yaml, plus labels, budgets and taint.
const spec: ToolsSpec = {
  default: 'deny',
  rules: [
    { name: 'search_docs', action: 'allow' },
    { name: 'send_email', action: 'allow', when: "args.to.endsWith('@example.com')", labels: ['egress'] },
    { name: 'refund_order', action: 'approve', when: 'args.amount > 100' },
    { name: 'refund_order', action: 'allow', maxCallsPerConversation: 2 },
    { name: 'delete_*', action: 'deny' },
    { name: 'read_customer', action: 'allow', labels: ['sensitive'] },
  ],
  taint: { action: 'approve' },
};
const policy = compileToolPolicy(spec, { policy: 'support', version: 'v1' });

function call(tool: string, args: unknown, context: Partial<ToolCallInput['context']> = {}): ToolCallInput {
  return {
    tool,
    args,
    identity: { id: 'alice', tenant: 'acme' },
    request: { model: 'gpt-test' },
    context: { untrusted: false, calls: {}, ...context },
  };
}

describe('decideToolCall', () => {
  it('applies the first matching rule, skipping rules whose condition is false', () => {
    const cases: [ToolCallInput, string, string][] = [
      [call('search_docs', { q: 'x' }), 'allow', 'support/tools.rules[0]'],
      [call('send_email', { to: 'bob@example.com' }), 'allow', 'support/tools.rules[1]'],
      [call('send_email', { to: 'eve@evil.test' }), 'deny', 'support/tools.default'],
      [call('refund_order', { amount: 250 }), 'approve', 'support/tools.rules[2]'],
      [call('refund_order', { amount: 20 }), 'allow', 'support/tools.rules[3]'],
      [call('delete_user', { id: 1 }), 'deny', 'support/tools.rules[4]'],
      [call('unknown_tool', {}), 'deny', 'support/tools.default'],
    ];
    for (const [input, action, rule] of cases) {
      const decision = policy.decideToolCall(input);
      assert.deepEqual(
        [decision.action, decision.rule],
        [action, rule],
        `${input.tool} ${JSON.stringify(input.args)}`,
      );
    }
  });

  it('fails closed when a condition cannot be evaluated: allow rules are skipped, approve rules apply', () => {
    // send_email without `to`: the allow rule cannot be evaluated, so the default (deny) decides.
    assert.equal(policy.decideToolCall(call('send_email', {})).action, 'deny');
    // refund_order without `amount`: the approve rule applies.
    const refund = policy.decideToolCall(call('refund_order', {}));
    assert.equal(refund.action, 'approve');
    assert.match(refund.reason, /could not be evaluated/);
  });

  it('enforces per-conversation call budgets', () => {
    assert.equal(
      policy.decideToolCall(call('refund_order', { amount: 5 }, { calls: { refund_order: 1 } })).action,
      'allow',
    );
    const over = policy.decideToolCall(call('refund_order', { amount: 5 }, { calls: { refund_order: 2 } }));
    assert.equal(over.action, 'deny');
    assert.match(over.reason, /at most 2/);
  });

  it('taint: labelled tools need approval once untrusted content is in the context', () => {
    assert.equal(policy.decideToolCall(call('read_customer', {})).action, 'allow');
    const tainted = policy.decideToolCall(call('read_customer', {}, { untrusted: true }));
    assert.deepEqual([tainted.action, tainted.rule], ['approve', 'support/tools.taint']);
    assert.equal(
      policy.decideToolCall(call('send_email', { to: 'a@example.com' }, { untrusted: true })).action,
      'approve',
    );
    // Unlabelled tools are unaffected, and taint never relaxes a deny.
    assert.equal(policy.decideToolCall(call('search_docs', {}, { untrusted: true })).action, 'allow');
    assert.equal(policy.decideToolCall(call('delete_user', {}, { untrusted: true })).action, 'deny');
  });

  it('taint with action deny denies labelled tools', () => {
    const strict = compileToolPolicy(
      { ...spec, taint: { action: 'deny', labels: ['sensitive'] } },
      { policy: 's', version: '1' },
    );
    assert.equal(strict.decideToolCall(call('read_customer', {}, { untrusted: true })).action, 'deny');
    assert.equal(
      strict.decideToolCall(call('send_email', { to: 'a@example.com' }, { untrusted: true })).action,
      'allow',
    );
  });

  it('condition variables include identity, request and context', () => {
    const p = compileToolPolicy(
      {
        default: 'deny',
        rules: [
          {
            name: 'shell',
            action: 'allow',
            when: "identity.tenant == 'acme' && request.model == 'gpt-test' && !context.untrusted",
          },
        ],
      },
      { policy: 'p', version: '1' },
    );
    assert.equal(p.decideToolCall(call('shell', {})).action, 'allow');
    assert.equal(p.decideToolCall(call('shell', {}, { untrusted: true })).action, 'deny');
  });
});

describe('filterOfferedTools', () => {
  it('removes only tools that every path denies', () => {
    const tools = ['search_docs', 'send_email', 'refund_order', 'delete_user', 'unknown_tool'].map(
      (name) => ({ name }),
    );
    const { kept, removed } = policy.filterOfferedTools(tools);
    assert.deepEqual(
      kept.map((t) => t.name),
      ['search_docs', 'send_email', 'refund_order'],
    );
    assert.deepEqual(
      removed.map((t) => t.name),
      ['delete_user', 'unknown_tool'],
    );
  });

  it('removes tainted tools when taint denies and the context is untrusted', () => {
    const strict = compileToolPolicy({ ...spec, taint: { action: 'deny' } }, { policy: 's', version: '1' });
    const tools = [{ name: 'read_customer' }, { name: 'search_docs' }];
    assert.deepEqual(strict.filterOfferedTools(tools, { untrusted: true }).removed, [
      { name: 'read_customer' },
    ]);
    assert.deepEqual(strict.filterOfferedTools(tools, { untrusted: false }).removed, []);
  });

  it('keeps everything in monitor mode', () => {
    const monitor = compileToolPolicy(spec, { policy: 'm', version: '1', mode: 'monitor' });
    assert.equal(monitor.filterOfferedTools([{ name: 'delete_user' }]).removed.length, 0);
  });
});

describe('compileToolPolicy', () => {
  it('reports every bad condition in one pass, naming rule index and column', () => {
    assert.throws(
      () =>
        compileToolPolicy(
          {
            rules: [
              { name: 'a', action: 'allow', when: 'args.x >' },
              { name: 'b', action: 'allow', when: 'true' },
              { name: 'c', action: 'allow', when: "args.q.matches('x')" },
            ],
          },
          { policy: 'p', version: '1' },
        ),
      (error: unknown) =>
        error instanceof ToolPolicyCompileError &&
        error.errors.length === 2 &&
        error.errors[0]?.where === 'spec.tools.rules[0].when' &&
        error.errors[1]?.where === 'spec.tools.rules[2].when' &&
        error.errors[1].column === 1,
    );
  });
});

describe('compileGlob', () => {
  it('matches * and ? like a shell glob', () => {
    const cases: [string, string, boolean][] = [
      ['delete_*', 'delete_user', true],
      ['delete_*', 'undelete_user', false],
      ['*_user', 'delete_user', true],
      ['db.*.write', 'db.orders.write', true],
      ['db.*.write', 'db.orders.read', false],
      ['a*b*c', 'abc', true],
      ['a*b*c', 'aXbYbZc', true],
      ['a*b*c', 'acb', false],
      ['ab*ba', 'aba', false],
      ['tool?', 'tool1', true],
      ['tool?', 'tool', false],
      ['*', '', true],
      ['exact', 'exact', true],
      ['exact', 'exactly', false],
    ];
    for (const [pattern, name, expected] of cases)
      assert.equal(compileGlob(pattern)(name), expected, `${pattern} ~ ${name}`);
  });
});
