import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { pino } from 'pino';
import { startGateway } from '../../src/gateway/start.ts';
import type { RunningGateway } from '../../src/gateway/start.ts';
import { openaiChatStream, sendJson, sendSse, startFakeModel } from './fake-model.ts';
import type { FakeModel } from './fake-model.ts';

const TOKEN = 'ghp_R8x2Lq9ZtW4vN7mK3pJ6yH1sD5fG0aB2cE4u';

describe('output checks through the gateway', () => {
  let fake: FakeModel;
  let running: RunningGateway;
  let client: OpenAI;

  before(async () => {
    fake = await startFakeModel();
    const dir = mkdtempSync(join(tmpdir(), 'parapet-output-'));
    writeFileSync(
      join(dir, 'output.yaml'),
      [
        'apiVersion: parapet.dev/v1alpha1',
        'kind: GuardrailPolicy',
        'metadata: { name: output }',
        'spec:',
        '  match: { models: ["*"] }',
        '  output:',
        '    secrets: { action: redact }',
      ].join('\n'),
    );
    running = await startGateway(
      { policy: [join(dir, 'output.yaml')], upstream: fake.url, port: 0, dataDir: dir },
      { signals: false, log: pino({ level: 'silent' }) },
    );
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: 'k', maxRetries: 0 });
  });
  after(async () => {
    await running.stop();
    await fake.close();
  });

  it('redacts a secret in a complete answer and keeps the other fields', async () => {
    fake.script((_request, res) => {
      sendJson(res, 200, {
        id: 'c1',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-test',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: `Use ${TOKEN} to log in.` },
            finish_reason: 'stop',
          },
        ],
        x_vendor: 1,
      });
    });
    const answer = await client.chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'How do I log in to the build server?' }],
    });
    const content = answer.choices[0]?.message.content ?? '';
    assert.ok(!content.includes(TOKEN), content);
    assert.match(content, /^Use .*REDACTED.* to log in\.$/);
    assert.equal((answer as unknown as { x_vendor: number }).x_vendor, 1);
  });

  it('redacts a secret split across stream chunks before any of it reaches the client', async () => {
    const pieces = [
      'Your token is ',
      TOKEN.slice(0, 9),
      TOKEN.slice(9, 25),
      TOKEN.slice(25),
      ' — keep it safe.',
    ];
    fake.script((_request, res) => sendSse(res, openaiChatStream(pieces), 2));
    const stream = await client.chat.completions.create({
      model: 'gpt-test',
      stream: true,
      messages: [{ role: 'user', content: 'What is my build server token?' }],
    });
    let text = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta.content ?? '';
      assert.ok(!delta.includes('ghp_R8x2L'), 'no piece of the secret is released');
      text += delta;
    }
    assert.ok(!text.includes(TOKEN));
    assert.match(text, /^Your token is .*REDACTED.* — keep it safe\.$/);
  });
});
