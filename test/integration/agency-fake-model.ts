import { createServer, type Server } from 'node:http';

/**
 * A scripted OpenAI-compatible model for the tool-governance tests: each answer is a list of tool
 * calls (and optional text), sent as one JSON body or as SSE chunks with the arguments cut into
 * small pieces, the way real models stream them. It records the request bodies it received.
 */
export interface ScriptedCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

export interface ScriptedAnswer {
  readonly content?: string;
  readonly calls: readonly ScriptedCall[];
}

export interface ToolFakeModel {
  readonly url: string;
  readonly requests: Record<string, unknown>[];
  answer(answer: ScriptedAnswer): void;
  close(): Promise<void>;
}

const PIECE = 5;

function chunk(delta: object, finish: string | null = null): string {
  const payload = {
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'fake-model',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(payload)}\n\n`;
}

export async function startToolFakeModel(): Promise<ToolFakeModel> {
  const requests: Record<string, unknown>[] = [];
  let scripted: ScriptedAnswer = { content: 'hello', calls: [] };
  const server: Server = createServer((request, response) => {
    let text = '';
    request.on('data', (data: Buffer) => (text += data.toString()));
    request.on('end', () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      requests.push(body);
      const finish = scripted.calls.length > 0 ? 'tool_calls' : 'stop';
      if (body.stream !== true) {
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({
            id: 'chatcmpl-fake',
            object: 'chat.completion',
            created: 1,
            model: 'fake-model',
            choices: [
              {
                index: 0,
                message: {
                  role: 'assistant',
                  content: scripted.content ?? null,
                  ...(scripted.calls.length > 0
                    ? {
                        tool_calls: scripted.calls.map((c) => ({
                          id: c.id,
                          type: 'function',
                          function: { name: c.name, arguments: c.arguments },
                        })),
                      }
                    : {}),
                },
                logprobs: null,
                finish_reason: finish,
              },
            ],
            usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
          }),
        );
        return;
      }
      response.setHeader('content-type', 'text/event-stream');
      let out = chunk({ role: 'assistant', content: scripted.content === undefined ? null : '' });
      if (scripted.content) out += chunk({ content: scripted.content });
      scripted.calls.forEach((call, index) => {
        out += chunk({
          tool_calls: [
            { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
          ],
        });
        for (let at = 0; at < call.arguments.length; at += PIECE) {
          out += chunk({
            tool_calls: [{ index, function: { arguments: call.arguments.slice(at, at + PIECE) } }],
          });
        }
      });
      out += chunk({}, finish);
      response.end(`${out}data: [DONE]\n\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    answer(answer) {
      scripted = answer;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
