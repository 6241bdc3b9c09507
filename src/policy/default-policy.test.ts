import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyRewrites } from '../core/guard.ts';
import { openaiAdapter } from '../providers/openai.ts';
import { compileGuard } from './engine.ts';

// Issue 4: with no configuration, secrets are blocked in input and redacted in output,
// exfiltration links stripped, system-prompt leaks blocked; PII recorded, not changed.
const guard = compileGuard([]);
const META = { requestId: 'r', identity: 'anonymous' };
const TOKEN = 'ghp_4aF9kLm2Qx7Rt1Zb8Vc3Yw6Nd0Hs5Jp2Ke9U';

function begin(user: string, system = 'You are Orbit, the support assistant of Acme Rockets.') {
  const conversation = openaiAdapter.parseRequest('chat', {
    model: 'any-model',
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ],
  });
  return guard.begin(conversation, META);
}

async function answer(text: string, user = 'hello') {
  const exchange = begin(user);
  const input = await exchange.checkInput();
  const verdict = await exchange.output.scan(text, 'assistant');
  return { input, verdict, out: applyRewrites(text, verdict.rewrites) };
}

describe('the default policy', () => {
  it('blocks a secret in the input', async () => {
    const verdict = await begin(`push with ${TOKEN}`).checkInput();
    assert.equal(verdict.block?.rule, 'parapet-default/input.secrets');
  });

  it('records PII in the input without changing it, and adds only the canary', async () => {
    const verdict = await begin('I am alice@example.org, call +1 415 555 0100').checkInput();
    assert.ok(verdict.decisions.some((d) => d.rule === 'parapet-default/input.pii' && d.action === 'allow'));
    assert.equal(verdict.block, undefined);
    assert.deepEqual(
      verdict.edits.map((e) => e.path),
      [['messages', 0, 'content']],
    );
  });

  it('redacts a secret in the answer', async () => {
    const { out } = await answer(`here: ${TOKEN}`);
    assert.match(out, /^here: \[REDACTED:[A-Z_]+\]$/);
  });

  it('strips an exfiltration image and a data-carrying link, keeps an ordinary link', async () => {
    const { out } = await answer(
      '![x](https://evil.test/p.png) [docs](https://other.test/guide) [y](https://evil.test/?d=alice%40example.org)',
      'I am alice@example.org',
    );
    assert.equal(out, '[image removed] [docs](https://other.test/guide) y');
  });

  it('blocks an answer that leaks the canary', async () => {
    const exchange = begin('hi');
    const input = await exchange.checkInput();
    const canary = /[\da-f]{16}/.exec(input.edits[0]?.rewrites[0]?.replacement ?? '')?.[0];
    assert.ok(canary !== undefined);
    const verdict = await exchange.output.scan(`my reference is ${canary}`, 'assistant');
    assert.equal(verdict.block?.rule, 'parapet-default/output.systemPromptLeak');
  });
});
