import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  activation,
  compileCondition,
  ConditionCompileError,
  ConditionEvaluationError,
} from './conditions.ts';

const base = {
  identity: { id: 'alice', tenant: 'acme' },
  request: { model: 'gpt' },
  context: { untrusted: false },
};

describe('compileCondition', () => {
  it('evaluates conditions over args, identity, request and context', () => {
    const cases: [string, unknown, boolean][] = [
      ["args.to.endsWith('@example.com')", { to: 'bob@example.com' }, true],
      ["args.to.endsWith('@example.com')", { to: 'eve@evil.test' }, false],
      ['args.amount > 100', { amount: 150 }, true],
      ['args.amount > 100', { amount: 99.5 }, false],
      ['args.count + 1 == 3', { count: 2 }, true],
      ["identity.tenant == 'acme'", {}, true],
      ["request.model.startsWith('gp')", {}, true],
      ['!context.untrusted', {}, true],
      ['has(args.cc) && args.cc.size() > 0', { to: 'x' }, false],
      ["args.query.re2('(?i)^\\\\s*select\\\\b')", { query: '  SELECT * FROM t' }, true],
      ["args.query.re2('(?i)^\\\\s*select\\\\b')", { query: 'DROP TABLE t' }, false],
    ];
    for (const [source, args, expected] of cases) {
      const condition = compileCondition(source, 'rule');
      assert.equal(condition.evaluate(activation({ ...base, args })), expected, source);
    }
  });

  it('names the rule and column of a syntax error', () => {
    assert.throws(
      () => compileCondition('args.amount > ', 'spec.tools.rules[3].when'),
      (error: unknown) =>
        error instanceof ConditionCompileError &&
        error.where === 'spec.tools.rules[3].when' &&
        error.column === 15 &&
        error.message.startsWith('spec.tools.rules[3].when: column 15:'),
    );
  });

  it('rejects unknown variables and non-bool conditions at load', () => {
    assert.throws(() => compileCondition('user.admin', 'r'), /Unknown variable: user/);
    assert.throws(() => compileCondition('1 + 2', 'r'), /must be a bool expression/);
  });

  it('rejects the backtracking matches() and invalid RE2 patterns at load, with their columns', () => {
    assert.throws(
      () => compileCondition("args.q.size() > 1 && args.q.matches('(a+)+$')", 'r'),
      (error: unknown) =>
        error instanceof ConditionCompileError && error.column === 22 && /re2/.test(error.detail),
    );
    assert.throws(
      () => compileCondition("args.q.re2('(a')", 'r'),
      (error: unknown) =>
        error instanceof ConditionCompileError && error.column === 12 && /invalid RE2/.test(error.detail),
    );
  });

  it('runs RE2 in linear time on a pattern that makes backtracking engines explode', () => {
    const condition = compileCondition("args.q.re2('^(a+)+$')", 'r');
    // 5,000 a's and a trailing b: catastrophic for a backtracking engine, immediate for RE2.
    assert.equal(condition.evaluate(activation({ ...base, args: { q: 'a'.repeat(5000) + 'b' } })), false);
  });

  it('reports evaluation errors (missing keys) as ConditionEvaluationError', () => {
    const condition = compileCondition('args.amount > 100', 'r');
    assert.throws(() => condition.evaluate(activation({ ...base, args: {} })), ConditionEvaluationError);
  });
});
