import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { Command } from 'commander';
import { openDatabaseFile } from '../store/sqlite.ts';
import { Approvals } from '../agency/approvals.ts';
import { adminRoutes } from '../agency/admin-routes.ts';
import { registerApprovalsCommand } from './approvals.ts';

async function run(url: string, args: string[]): Promise<string> {
  const program = new Command('parapet').exitOverride();
  registerApprovalsCommand(program);
  let out = '';
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string) => {
    out += chunk;
    return true;
  };
  try {
    await program.parseAsync(['node', 'parapet', 'approvals', '--url', url, ...args]);
  } finally {
    process.stdout.write = original;
  }
  return out;
}

describe('parapet approvals', () => {
  it('lists, approves and denies through the admin API', async () => {
    const approvals = new Approvals({ db: openDatabaseFile(':memory:') });
    const app = Fastify();
    await app.register(adminRoutes({ approvals, adminToken: 'cli-token' }));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const previous = process.env['PARAPET_ADMIN_TOKEN'];
    process.env['PARAPET_ADMIN_TOKEN'] = 'cli-token';
    try {
      const request = {
        tenant: 'acme',
        caller: 'alice',
        tool: 'refund_order',
        policy: 'p',
        policyVersion: '1',
        rule: 'p/tools.rules[0]',
        reason: 'needs approval',
        timeoutMs: 60_000,
      };
      const first = approvals.request({ ...request, args: { amount: 1 } });
      const second = approvals.request({ ...request, args: { amount: 2 } });

      const listed = await run(url, ['list']);
      assert.match(listed, new RegExp(first.id));
      assert.match(listed, new RegExp(second.id));

      await run(url, ['approve', first.id, '--reason', 'ok by phone']);
      assert.equal(approvals.get(first.id)?.status, 'approved');
      assert.equal(approvals.get(first.id)?.decisionReason, 'ok by phone');

      const denied = JSON.parse(await run(url, ['--json', 'deny', second.id])) as { status: string };
      assert.equal(denied.status, 'denied');

      assert.equal((await run(url, ['list'])).trim(), 'no approvals');

      process.env['PARAPET_ADMIN_TOKEN'] = 'wrong';
      await assert.rejects(run(url, ['list']), /HTTP 403: The admin token is not valid/);
    } finally {
      if (previous === undefined) delete process.env['PARAPET_ADMIN_TOKEN'];
      else process.env['PARAPET_ADMIN_TOKEN'] = previous;
      await app.close();
    }
  });
});
