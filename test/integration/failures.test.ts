import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { openaiChatStream, sendSse, sleep, startFakeModel } from './fake-model.ts';
import type { FakeModel } from './fake-model.ts';
import { startTestGateway, upstream } from './harness.ts';
import type { TestGateway } from './harness.ts';

async function post(
  url: string,
  body: string,
  contentType = 'application/json',
): Promise<{ status: number; error: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  const json = (await response.json()) as { error: Record<string, unknown> };
  return { status: response.status, error: json.error };
}

/** A port nothing listens on: bind, read the number, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('request and upstream failures', () => {
  let fake: FakeModel;
  let gw: TestGateway;

  before(async () => {
    fake = await startFakeModel();
    const down = await closedPort();
    gw = await startTestGateway({
      server: { bodyLimitBytes: 2048 },
      upstreams: [
        upstream(`http://127.0.0.1:${down}`, { name: 'down', models: ['down-*'] }),
        upstream(fake.url, {
          name: 'slow',
          models: ['slow-*'],
          timeouts: { connectMs: 1000, headersMs: 300, idleMs: 300 },
        }),
        upstream(fake.url, { models: ['gpt-*'] }),
      ],
    });
  });
  after(async () => {
    await gw.close();
    await fake.close();
  });

  it('answers malformed JSON with invalid_json and the byte position', async () => {
    const { status, error } = await post(
      `${gw.url}/v1/chat/completions`,
      '{"model": "gpt-test", "messages": [}',
    );
    assert.equal(status, 400);
    assert.equal(error.code, 'invalid_json');
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(typeof error.position, 'number');
  });

  it('rejects JSON that is not an object, and a request the adapter cannot read', async () => {
    const notObject = await post(`${gw.url}/v1/chat/completions`, '[1, 2]');
    assert.equal(notObject.status, 400);
    assert.equal(notObject.error.code, 'invalid_request');
    const noMessages = await post(`${gw.url}/v1/chat/completions`, '{"model": "gpt-test"}');
    assert.equal(noMessages.status, 400);
    assert.equal(noMessages.error.code, 'invalid_request');
  });

  it('rejects a body over the limit with 413 body_too_large', async () => {
    const big = JSON.stringify({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'x'.repeat(4096) }],
    });
    const { status, error } = await post(`${gw.url}/v1/chat/completions`, big);
    assert.equal(status, 413);
    assert.equal(error.code, 'body_too_large');
  });

  it('rejects other media types with 415 and unknown routes with 404', async () => {
    const form = await post(`${gw.url}/v1/chat/completions`, 'a=b', 'application/x-www-form-urlencoded');
    assert.equal(form.status, 415);
    assert.equal(form.error.code, 'unsupported_media_type');
    const wrongMethod = await fetch(`${gw.url}/v1/chat/completions`);
    assert.equal(wrongMethod.status, 405);
    assert.equal(
      ((await wrongMethod.json()) as { error: { code: string } }).error.code,
      'method_not_allowed',
    );
    const missing = await post(`${gw.url}/v1/nope`, '{}');
    assert.equal(missing.status, 404);
    assert.equal(missing.error.code, 'not_found');
  });

  it('answers 502 upstream_unavailable when the upstream is down', async () => {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'k', maxRetries: 0 });
    const error = await client.chat.completions
      .create({ model: 'down-1', messages: [{ role: 'user', content: 'hi' }] })
      .then(
        () => assert.fail('expected an error'),
        (e: unknown) => e,
      );
    assert.ok(error instanceof OpenAI.APIError, String(error));
    assert.equal(error.status, 502);
    assert.equal(error.code, 'upstream_unavailable');
  });

  it('answers 504 upstream_timeout when the upstream is too slow, without hanging', async () => {
    fake.script(async (_request, res) => {
      await sleep(5000);
      res.end();
    });
    const started = performance.now();
    const { status, error } = await post(
      `${gw.url}/v1/chat/completions`,
      JSON.stringify({ model: 'slow-1', messages: [{ role: 'user', content: 'hi' }] }),
    );
    assert.equal(status, 504);
    assert.equal(error.code, 'upstream_timeout');
    assert.ok(performance.now() - started < 3000, 'the timeout fired at the configured bound');
  });

  it('ends a stream with an error event when the upstream goes silent mid-answer', async () => {
    fake.script(async (_request, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(openaiChatStream(['partial'])[0]);
      await sleep(5000);
      res.end();
    });
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'k', maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'slow-1',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const seen: unknown[] = [];
    await assert.rejects(
      async () => {
        for await (const chunk of stream) seen.push(chunk);
      },
      (e: unknown) => e instanceof OpenAI.APIError && /did not send data within 300 ms/.test(e.message),
    );
    assert.equal(seen.length, 1, 'the chunk sent before the silence reached the client');
  });

  it('aborts the upstream request when the client leaves mid-stream', async () => {
    const pieces = Array.from({ length: 200 }, (_, i) => `word${i} `);
    fake.script((_request, res) => sendSse(res, openaiChatStream(pieces), 20));
    const controller = new AbortController();
    const response = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-test',
        stream: true,
        messages: [{ role: 'user', content: 'count' }],
      }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    const upstreamRequest = fake.received.at(-1)!;
    controller.abort();
    const outcome = await Promise.race([
      upstreamRequest.aborted.then(() => 'aborted'),
      sleep(2000).then(() => 'still running'),
    ]);
    assert.equal(outcome, 'aborted');
  });

  it('aborts the upstream request when the client leaves before a non-streaming answer', async () => {
    fake.script(async (_request, res) => {
      await sleep(1500);
      res.end();
    });
    const controller = new AbortController();
    const pending = fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'Take your time.' }] }),
      signal: controller.signal,
    }).catch(() => 'aborted');
    while (fake.received.at(-1)?.body.includes('Take your time') !== true) await sleep(5);
    controller.abort();
    assert.equal(await pending, 'aborted');
    const outcome = await Promise.race([
      fake.received.at(-1)!.aborted.then(() => 'aborted'),
      sleep(1000).then(() => 'still running'),
    ]);
    assert.equal(outcome, 'aborted');
  });

  it('answers model_not_found when no route matches', async () => {
    const { status, error } = await post(
      `${gw.url}/v1/chat/completions`,
      JSON.stringify({ model: 'unrouted', messages: [{ role: 'user', content: 'hi' }] }),
    );
    assert.equal(status, 404);
    assert.equal(error.code, 'model_not_found');
    assert.equal(error.param, 'model');
  });
});
