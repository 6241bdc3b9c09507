import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SseEvent } from '../core/provider.ts';
import { parsePolicyText } from '../policy/load.ts';
import { jsonEvent, sseEvent } from '../providers/sse.ts';
import { openDatabaseFile } from '../store/sqlite.ts';
import { Approvals } from './approvals.ts';
import { createToolGovernance, injectionFlagged, KEEP_ALIVE } from './gateway.ts';

const { policies } = parsePolicyText(
  `
apiVersion: parapet.dev/v1alpha1
kind: GuardrailPolicy
metadata: { name: p }
spec:
  tools:
    rules: [{ name: refund, action: approve }]
`,
  'p.yaml',
);

function chunk(delta: object, finish: string | null = null): SseEvent {
  return jsonEvent({
    id: 'x',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
}

async function* upstream(): AsyncGenerator<SseEvent> {
  await Promise.resolve();
  yield chunk({
    tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'refund', arguments: '' } }],
  });
  yield chunk({ tool_calls: [{ index: 0, function: { arguments: '{"amount":5}' } }] });
  yield chunk({}, 'tool_calls');
  yield sseEvent({ data: '[DONE]' });
}

describe('createToolGovernance', () => {
  it('keeps a held stream alive with SSE comments until the approval is decided', async () => {
    const approvals = new Approvals({ db: openDatabaseFile(':memory:'), pollMs: 5 });
    const governance = createToolGovernance({ policies: () => policies, approvals, keepAliveMs: 5 });
    const exchange = governance.begin({
      api: 'openai',
      endpoint: 'chat',
      conversation: { api: 'openai', endpoint: 'chat', model: 'm', stream: true, messages: [], tools: [] },
      body: {},
      requestId: 'r1',
      identity: 'alice',
      inputDecisions: [],
      signal: new AbortController().signal,
    });
    assert.ok(exchange);
    const out: SseEvent[] = [];
    for await (const event of exchange.guardEvents(upstream())) {
      out.push(event);
      if (event === KEEP_ALIVE && out.filter((e) => e === KEEP_ALIVE).length === 2) {
        const pending = approvals.list({ status: 'pending' })[0];
        assert.ok(pending);
        approvals.decide(pending.id, 'approve', 'admin');
      }
    }
    const data = out.filter((e) => e !== KEEP_ALIVE).map((e) => e.data);
    assert.ok(out.filter((e) => e === KEEP_ALIVE).length >= 2);
    assert.ok(
      out.findIndex((e) => e === KEEP_ALIVE) < out.findIndex((e) => e.data.includes('"refund"')),
      'comments come while held',
    );
    assert.ok(
      data.some((d) => d.includes('{\\"amount\\":5}')),
      'the approved call is released',
    );
    assert.equal(data.at(-1), '[DONE]');
  });

  it('treats injection findings in the input as taint', () => {
    const finding = { type: 'injection.override', start: 0, end: 1, score: 0.9, reason: 'r' };
    const decision = {
      rule: 'p/input.promptInjection',
      policy: 'p',
      stage: 'input' as const,
      action: 'allow' as const,
      mode: 'monitor' as const,
      owasp: 'LLM01' as const,
      reason: 'r',
      findings: [finding],
    };
    assert.equal(injectionFlagged([decision]), true);
    assert.equal(
      injectionFlagged([{ ...decision, findings: [{ ...finding, type: 'pii.email_address' }] }]),
      false,
    );
  });
});
