import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake model received. */
export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: unknown;
  /** Resolves when the connection closed before the fake finished answering (the caller aborted). */
  readonly aborted: Promise<void>;
}

export type Script = (request: Received, res: ServerResponse) => void | Promise<void>;

export interface FakeModel {
  readonly url: string;
  readonly received: Received[];
  /** How every following request is answered. */
  script(handler: Script): void;
  close(): Promise<void>;
}

/**
 * A scripted model server on an ephemeral loopback port. Each test scripts the answer (JSON,
 * SSE with delays, errors, silence) and inspects what arrived.
 */
export async function startFakeModel(): Promise<FakeModel> {
  const received: Received[] = [];
  let handler: Script = (_request, res) => {
    sendJson(res, 500, { error: { message: 'no script' } });
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const aborted = new Promise<void>((resolve) => {
        res.once('close', () => {
          if (!res.writableFinished) resolve();
        });
      });
      const request: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        json,
        aborted,
      };
      received.push(request);
      void Promise.resolve(handler(request, res)).catch(() => res.destroy());
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script(next) {
      handler = next;
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Write SSE text chunks with an optional pause between them; stops early if the caller leaves. */
export async function sendSse(res: ServerResponse, chunks: readonly string[], pauseMs = 0): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const chunk of chunks) {
    if (res.destroyed) return;
    res.write(chunk);
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  res.end();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** An OpenAI chat completion stream for `pieces`, ending with `[DONE]`. */
export function openaiChatStream(pieces: readonly string[], extra: Record<string, unknown> = {}): string[] {
  const chunk = (delta: Record<string, unknown>, finish: string | null): string =>
    `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-test', choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
  return [
    chunk({ role: 'assistant', content: '' }, null),
    ...pieces.map((content) => chunk({ content }, null)),
    chunk({}, 'stop'),
    'data: [DONE]\n\n',
  ];
}

/** An Anthropic Messages stream for `pieces`. */
export function anthropicStream(pieces: readonly string[]): string[] {
  const event = (name: string, payload: unknown): string =>
    `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
  return [
    event('message_start', {
      type: 'message_start',
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-test',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 5, output_tokens: 1 },
      },
    }),
    event('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    }),
    ...pieces.map((text) =>
      event('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text },
      }),
    ),
    event('content_block_stop', { type: 'content_block_stop', index: 0 }),
    event('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: pieces.length },
    }),
    event('message_stop', { type: 'message_stop' }),
  ];
}
