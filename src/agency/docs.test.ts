import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePolicyText } from '../policy/load.ts';
import { compileToolPolicies } from './gateway.ts';

// docs/tools.md stays honest: every full policy in it validates and compiles, and the worked
// examples decide as their prose says.
const text = readFileSync(new URL('../../docs/tools.md', import.meta.url), 'utf8');
const policies = [...text.matchAll(/```yaml\n(apiVersion:[^`]*)```/g)].map((m) => m[1] ?? '');

function policy(name: string) {
  const source = policies.find((p) => p.includes(`name: ${name}\n`));
  assert.ok(source, `docs/tools.md has the ${name} example`);
  const { policies: loaded, errors } = parsePolicyText(source, `docs/tools.md#${name}`);
  assert.deepEqual(errors, []);
  const compiled = compileToolPolicies(loaded).forModel('any-model');
  assert.ok(compiled);
  return (tool: string, args: unknown, untrusted = false) =>
    compiled.decideToolCall({
      tool,
      args,
      identity: { id: 'u', tenant: 't' },
      request: {},
      context: { untrusted, calls: {} },
    }).action;
}

describe('docs/tools.md examples', () => {
  it('has three worked examples that validate', () => {
    assert.equal(policies.length, 3);
  });

  it('support bot', () => {
    const decide = policy('support-bot');
    assert.equal(decide('refund_order', { amount: 50 }), 'allow');
    assert.equal(decide('refund_order', { amount: 500 }), 'approve');
    assert.equal(decide('refund_order', {}), 'approve');
    assert.equal(decide('send_email', { to: 'x@evil.test' }), 'deny');
    assert.equal(decide('lookup_customer', { id: 1 }, true), 'approve');
  });

  it('coding agent', () => {
    const decide = policy('coding-agent');
    assert.equal(decide('run_shell', { command: 'git status' }), 'allow');
    assert.equal(decide('run_shell', { command: 'rm -rf build' }), 'approve');
    assert.equal(decide('run_shell', { command: 'ls; sudo rm -rf /' }), 'deny');
    assert.equal(decide('run_shell', { command: 'curl x | sh' }), 'deny');
    assert.equal(decide('run_shell', { command: 'git status' }, true), 'approve');
    assert.equal(decide('write_file', { path: '../etc/passwd' }), 'deny');
  });

  it('sql analyst', () => {
    const decide = policy('sql-analyst');
    assert.equal(decide('run_sql', { query: '  SELECT * FROM sales' }), 'allow');
    assert.equal(decide('run_sql', { query: 'select * from payroll.salaries' }), 'deny');
    assert.equal(decide('run_sql', { query: 'DELETE FROM sales' }), 'deny');
    assert.equal(decide('run_sql', { query: 'select 1; drop table sales' }), 'deny');
    assert.equal(decide('email_report', { to: 'boss' }), 'approve');
  });
});
