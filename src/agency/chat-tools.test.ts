import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabaseFile } from '../store/sqlite.ts';
import { Approvals } from './approvals.ts';
import { filterRequestTools, guardResponseTools } from './chat-tools.ts';
import { createCallJudge, conversationContext, type CallJudge } from './judge.ts';
import { compileToolPolicy } from './tool-policy.ts';
import type { Conversation } from '../core/conversation.ts';

const policy = compileToolPolicy(
  {
    default: 'deny',
    rules: [
      { name: 'search_docs', action: 'allow' },
      { name: 'send_email', action: 'allow', when: "args.to.endsWith('@example.com')" },
      { name: 'refund_order', action: 'approve', when: 'args.amount > 100' },
      { name: 'refund_order', action: 'allow' },
    ],
  },
  { policy: 'support', version: 'v1' },
);

function judge(approvals?: Approvals): CallJudge {
  return createCallJudge({
    policy,
    approvals,
    identity: { id: 'alice', tenant: 'acme' },
    request: { model: 'm' },
    context: { untrusted: false, calls: {} },
  });
}

const fn = (name: string) => ({ type: 'function', function: { name, description: '', parameters: {} } });

describe('filterRequestTools', () => {
  it('removes denied tools from an OpenAI offer and drops a tool_choice forcing one', () => {
    const body = {
      model: 'm',
      tools: [fn('search_docs'), fn('delete_user'), fn('send_email')],
      tool_choice: { type: 'function', function: { name: 'delete_user' } },
      extra: 1,
    };
    const { body: out, removed } = filterRequestTools('openai', body, policy);
    assert.deepEqual(removed, ['delete_user']);
    assert.deepEqual(out, { model: 'm', tools: [fn('search_docs'), fn('send_email')], extra: 1 });
    assert.equal(body.tools.length, 3, 'the input body is not mutated');
  });

  it('removes the list, tool_choice and parallel_tool_calls when nothing is left; legacy functions too', () => {
    const { body: out } = filterRequestTools(
      'openai',
      {
        tools: [fn('delete_user')],
        tool_choice: 'auto',
        parallel_tool_calls: true,
        functions: [{ name: 'drop_db' }, { name: 'search_docs' }],
      },
      policy,
    );
    assert.deepEqual(out, { functions: [{ name: 'search_docs' }] });
  });

  it('filters Anthropic tools and returns the same body when nothing is removed', () => {
    const body = {
      tools: [
        { name: 'search_docs', input_schema: {} },
        { name: 'rm_rf', input_schema: {} },
      ],
    };
    assert.deepEqual(filterRequestTools('anthropic', body, policy).body, {
      tools: [{ name: 'search_docs', input_schema: {} }],
    });
    const clean = { tools: [{ name: 'search_docs', input_schema: {} }] };
    assert.equal(filterRequestTools('anthropic', clean, policy).body, clean);
  });
});

const openAiResponse = (
  calls: { id: string; name: string; args: string }[],
  content: string | null = null,
) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content,
        tool_calls: calls.map((c) => ({
          id: c.id,
          type: 'function',
          function: { name: c.name, arguments: c.args },
        })),
      },
      finish_reason: 'tool_calls',
    },
  ],
  usage: { total_tokens: 3 },
});

describe('guardResponseTools (OpenAI)', () => {
  it('leaves a response with only allowed calls untouched', async () => {
    const body = openAiResponse([{ id: 'c1', name: 'search_docs', args: '{"q":"x"}' }]);
    const { body: out, outcomes } = await guardResponseTools('openai', body, judge());
    assert.equal(out, body);
    assert.equal(outcomes[0]?.verdict.allowed, true);
  });

  it('replaces a denied call by an assistant message and finish_reason stop', async () => {
    const body = openAiResponse([{ id: 'c1', name: 'send_email', args: '{"to":"eve@evil.test"}' }]);
    const { body: out } = await guardResponseTools('openai', body, judge());
    const choice = (out.choices as Record<string, unknown>[])[0] as {
      message: Record<string, unknown>;
      finish_reason: string;
    };
    assert.equal(choice.finish_reason, 'stop');
    assert.equal(choice.message.tool_calls, undefined);
    assert.match(
      String(choice.message.content),
      /tool call 'send_email' was blocked by policy rule 'support\/tools.default'/,
    );
    assert.deepEqual(out.usage, { total_tokens: 3 });
  });

  it('keeps allowed calls next to a denied one, keeping finish_reason tool_calls', async () => {
    const body = openAiResponse(
      [
        { id: 'c1', name: 'search_docs', args: '{}' },
        { id: 'c2', name: 'delete_user', args: '{"id":1}' },
      ],
      'Working on it.',
    );
    const { body: out } = await guardResponseTools('openai', body, judge());
    const choice = (out.choices as Record<string, unknown>[])[0] as {
      message: { content: string; tool_calls: { id: string }[] };
      finish_reason: string;
    };
    assert.deepEqual(
      choice.message.tool_calls.map((c) => c.id),
      ['c1'],
    );
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.match(
      choice.message.content,
      /^Working on it\.\n\n\[Parapet: tool call 'delete_user' was blocked/,
    );
  });

  it('denies calls with invalid JSON arguments and approval-needing calls without a store', async () => {
    const body = openAiResponse([
      { id: 'c1', name: 'search_docs', args: '{"q":' },
      { id: 'c2', name: 'refund_order', args: '{"amount":500}' },
    ]);
    const { outcomes } = await guardResponseTools('openai', body, judge());
    assert.deepEqual(
      outcomes.map((o) => [o.verdict.allowed, /not valid JSON|no approval store/.test(o.verdict.reason)]),
      [
        [false, true],
        [false, true],
      ],
    );
  });

  it('holds a call that needs approval until it is approved', async () => {
    const approvals = new Approvals({ db: openDatabaseFile(':memory:'), pollMs: 10 });
    const body = openAiResponse([{ id: 'c1', name: 'refund_order', args: '{"amount":500}' }]);
    const pending = guardResponseTools('openai', body, judge(approvals));
    let id: string | undefined;
    for (let i = 0; i < 100 && !id; i++) {
      await new Promise((r) => setTimeout(r, 5));
      id = approvals.list({ status: 'pending' })[0]?.id;
    }
    assert.ok(id);
    approvals.decide(id, 'approve', 'admin');
    const { body: out, outcomes } = await pending;
    assert.equal(out, body);
    assert.equal(outcomes[0]?.verdict.approvalId, id);
  });

  it('enforces budgets across the calls of one response', async () => {
    const budgeted = compileToolPolicy(
      { rules: [{ name: 'search_docs', action: 'allow', maxCallsPerConversation: 1 }] },
      { policy: 'b', version: '1' },
    );
    const j = createCallJudge({
      policy: budgeted,
      identity: { id: 'a', tenant: 't' },
      request: {},
      context: { untrusted: false, calls: {} },
    });
    const body = openAiResponse([
      { id: 'c1', name: 'search_docs', args: '{}' },
      { id: 'c2', name: 'search_docs', args: '{}' },
    ]);
    const { outcomes } = await guardResponseTools('openai', body, j);
    assert.deepEqual(
      outcomes.map((o) => o.verdict.allowed),
      [true, false],
    );
  });
});

describe('guardResponseTools (Anthropic)', () => {
  it('replaces a denied tool_use block by a text block and ends the turn', async () => {
    const body = {
      id: 'msg_1',
      type: 'message',
      content: [
        { type: 'text', text: 'Sure.' },
        { type: 'tool_use', id: 'tu1', name: 'send_email', input: { to: 'eve@evil.test' } },
      ],
      stop_reason: 'tool_use',
    };
    const { body: out } = await guardResponseTools('anthropic', body, judge());
    assert.equal(out.stop_reason, 'end_turn');
    const content = out.content as { type: string; text?: string }[];
    assert.deepEqual(
      content.map((b) => b.type),
      ['text', 'text'],
    );
    assert.match(content[1]?.text ?? '', /'send_email' was blocked/);
  });

  it('checks the argument condition on the input object', async () => {
    const body = {
      content: [{ type: 'tool_use', id: 'tu1', name: 'send_email', input: { to: 'bob@example.com' } }],
      stop_reason: 'tool_use',
    };
    assert.equal((await guardResponseTools('anthropic', body, judge())).body, body);
  });
});

describe('conversationContext', () => {
  it('is untrusted once a tool result or document is present, and counts prior calls', () => {
    const conversation: Conversation = {
      api: 'openai',
      endpoint: 'chat',
      model: 'm',
      stream: false,
      tools: [],
      messages: [
        { role: 'user', segments: [], toolCalls: [] },
        {
          role: 'assistant',
          segments: [],
          toolCalls: [{ id: '1', name: 'search_docs', arguments: '{}', path: [] }],
        },
      ],
    };
    assert.deepEqual(conversationContext(conversation), { untrusted: false, calls: { search_docs: 1 } });
    assert.equal(conversationContext(conversation, true).untrusted, true);
    const withResult: Conversation = {
      ...conversation,
      messages: [...conversation.messages, { role: 'tool', segments: [], toolCalls: [], toolCallId: '1' }],
    };
    assert.equal(conversationContext(withResult).untrusted, true);
  });
});

describe('createCallJudge', () => {
  it('in monitor mode lets every call through and still reports what the policy would do', async () => {
    const monitor = compileToolPolicy({ default: 'deny' }, { policy: 'm', version: '1', mode: 'monitor' });
    const seen: string[] = [];
    const j = createCallJudge({
      policy: monitor,
      identity: { id: 'a', tenant: 't' },
      request: {},
      context: { untrusted: false, calls: {} },
      onVerdict: (call, verdict) => seen.push(`${call.name}:${verdict.rule}:${verdict.reason}`),
    });
    const body = openAiResponse([{ id: 'c1', name: 'delete_user', args: '{}' }]);
    assert.equal((await guardResponseTools('openai', body, j)).body, body);
    assert.deepEqual(seen, [
      "delete_user:m/tools.default:tool 'delete_user' is not allowed by any rule (tools default: deny)",
    ]);
  });

  it('taint from a tool result in the conversation makes a labelled tool wait for approval', async () => {
    const tainted = compileToolPolicy(
      { default: 'deny', rules: [{ name: 'send_email', action: 'allow', labels: ['egress'] }] },
      { policy: 't', version: '1' },
    );
    const conversation: Conversation = {
      api: 'openai',
      endpoint: 'chat',
      model: 'm',
      stream: false,
      tools: [],
      messages: [{ role: 'tool', segments: [], toolCalls: [], toolCallId: 'x' }],
    };
    const j = createCallJudge({
      policy: tainted,
      identity: { id: 'a', tenant: 't' },
      request: {},
      context: conversationContext(conversation),
    });
    const { outcomes } = await guardResponseTools(
      'openai',
      openAiResponse([{ id: 'c', name: 'send_email', args: '{}' }]),
      j,
    );
    assert.deepEqual(
      [outcomes[0]?.verdict.allowed, outcomes[0]?.verdict.rule],
      [false, 't/tools.taint'],
      'without an approval store the approval-needing call is denied',
    );
  });
});

describe('custom (free-text) tools', () => {
  const shell = compileToolPolicy(
    {
      default: 'deny',
      rules: [
        { name: 'shell', action: 'allow', when: "args.input.startsWith('ls')" },
        { name: 'rm_all', action: 'deny' },
      ],
    },
    { policy: 's', version: '1' },
  );
  const j = () =>
    createCallJudge({
      policy: shell,
      identity: { id: 'a', tenant: 't' },
      request: {},
      context: { untrusted: false, calls: {} },
    });
  const custom = (input: string) => ({
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c', type: 'custom', custom: { name: 'shell', input } }],
        },
        finish_reason: 'tool_calls',
      },
    ],
  });

  it('are named in the offer and judged on args.input', async () => {
    const { removed } = filterRequestTools(
      'openai',
      { tools: [{ type: 'custom', custom: { name: 'rm_all' } }] },
      shell,
    );
    assert.deepEqual(removed, ['rm_all']);
    const allowed = custom('ls -la');
    assert.equal((await guardResponseTools('openai', allowed, j())).body, allowed);
    const { body } = await guardResponseTools('openai', custom('rm -rf /'), j());
    assert.equal((body.choices as { finish_reason: string }[])[0]?.finish_reason, 'stop');
  });
});
