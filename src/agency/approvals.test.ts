import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, openDatabaseFile } from '../store/sqlite.ts';
import { Approvals, webhookNotifier, type ApprovalRequest } from './approvals.ts';

const refund: ApprovalRequest = {
  tenant: 'acme',
  caller: 'alice',
  tool: 'refund_order',
  args: { order: 'A-1', amount: 250 },
  policy: 'support',
  policyVersion: 'v1',
  rule: 'support/tools.rules[2]',
  reason: "tool 'refund_order' needs human approval",
  timeoutMs: 60_000,
};

function memory(): Approvals {
  return new Approvals({ db: openDatabaseFile(':memory:'), pollMs: 20 });
}

describe('Approvals', () => {
  it('holds a call until an admin approves it, then uses the approval once', async () => {
    const approvals = memory();
    const held = approvals.authorize(refund);
    const [pending] = approvals.list({ status: 'pending' });
    assert.ok(pending);
    assert.deepEqual(pending.arguments, refund.args);
    approvals.decide(pending.id, 'approve', 'admin:bob', 'customer verified');
    const result = await held;
    assert.equal(result.approved, true);
    assert.equal(result.approval.status, 'used');
    assert.equal(result.approval.decidedBy, 'admin:bob');
    assert.equal(result.approval.decisionReason, 'customer verified');
    // The same call again needs a new approval: single use.
    const again = approvals.request(refund);
    assert.equal(again.status, 'pending');
    assert.notEqual(again.id, pending.id);
  });

  it('a denial resolves the held call as not approved, with who and why', async () => {
    const approvals = memory();
    const held = approvals.authorize(refund);
    const [pending] = approvals.list({ status: 'pending' });
    assert.ok(pending);
    approvals.decide(pending.id, 'deny', 'admin:bob', 'fraud suspected');
    const result = await held;
    assert.equal(result.approved, false);
    assert.match(result.reason, /denied by admin:bob: fraud suspected/);
  });

  it('an approval is bound to the exact arguments: different arguments need their own', () => {
    const approvals = memory();
    const first = approvals.request(refund);
    approvals.decide(first.id, 'approve', 'admin');
    // Key order does not matter (canonical JSON) ...
    const reordered = approvals.request({ ...refund, args: { amount: 250, order: 'A-1' } });
    assert.equal(reordered.id, first.id);
    assert.equal(reordered.status, 'used');
    // ... but a different amount, caller, tenant or policy version does.
    approvals.decide(
      approvals.request({ ...refund, args: { order: 'A-1', amount: 250 }, tool: 'other' }).id,
      'deny',
      'x',
    );
    for (const variant of [
      { ...refund, args: { order: 'A-1', amount: 9999 } },
      { ...refund, caller: 'mallory' },
      { ...refund, tenant: 'other' },
      { ...refund, policyVersion: 'v2' },
    ]) {
      const record = approvals.request(variant);
      assert.equal(record.status, 'pending', JSON.stringify(variant));
    }
  });

  it('times out as expired and not approved', async () => {
    const approvals = memory();
    const result = await approvals.authorize({ ...refund, timeoutMs: 30 });
    assert.equal(result.approved, false);
    assert.equal(result.approval.status, 'expired');
    assert.throws(() => approvals.decide(result.approval.id, 'approve', 'late'), /expired, not pending/);
  });

  it('a pending approval survives a restart and can be decided and used after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parapet-approvals-'));
    try {
      const before = new Approvals({ db: openDatabase(dir) });
      const opened = before.request(refund);
      assert.equal(opened.status, 'pending');

      const after = new Approvals({ db: openDatabase(dir), pollMs: 20 });
      const listed = after.list({ status: 'pending' });
      assert.deepEqual(
        listed.map((r) => r.id),
        [opened.id],
      );
      // The retried call shares the pending approval rather than opening a second one.
      const held = after.authorize(refund);
      after.decide(opened.id, 'approve', 'admin');
      assert.equal((await held).approved, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a decision made by another process reaches the waiter through the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parapet-approvals-'));
    try {
      const gateway = new Approvals({ db: openDatabase(dir), pollMs: 20 });
      const cli = new Approvals({ db: openDatabase(dir) });
      const held = gateway.authorize(refund);
      const [pending] = cli.list({ status: 'pending' });
      assert.ok(pending);
      cli.decide(pending.id, 'approve', 'admin');
      assert.equal((await held).approved, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('notifies a Slack-compatible webhook without the argument values; a failing webhook is not fatal', async () => {
    const bodies: unknown[] = [];
    const server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        bodies.push(JSON.parse(text));
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address && typeof address === 'object');
    const warnings: string[] = [];
    const log = { warn: (_: object, message: string) => warnings.push(message) };
    try {
      const approvals = new Approvals({
        db: openDatabaseFile(':memory:'),
        notify: webhookNotifier(`http://127.0.0.1:${address.port}/hook`, { log }),
      });
      const record = approvals.request(refund);
      for (let i = 0; i < 100 && bodies.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      const [body] = bodies as { text: string }[];
      assert.ok(body);
      assert.match(body.text, new RegExp(record.id));
      assert.match(body.text, /refund_order/);
      assert.doesNotMatch(body.text, /A-1/);

      const broken = new Approvals({
        db: openDatabaseFile(':memory:'),
        notify: webhookNotifier('http://127.0.0.1:1/unreachable', { log, timeoutMs: 500 }),
      });
      assert.equal(broken.request(refund).status, 'pending');
      for (let i = 0; i < 100 && warnings.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(warnings, ['approval webhook failed']);
    } finally {
      server.close();
    }
  });
});

describe('Approvals.wait on a failing store', () => {
  it('rejects instead of throwing from a timer when the store closes mid-wait', async () => {
    const db = openDatabaseFile(':memory:');
    const approvals = new Approvals({ db, pollMs: 5 });
    const record = approvals.request(refund);
    const waiting = approvals.wait(record.id, 60_000);
    db.close();
    await assert.rejects(waiting, /database is not open/i);
  });
});
