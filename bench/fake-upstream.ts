import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The model server both the direct and the gateway runs call: a fixed chat completion, or a
 * 20-chunk stream when the body asks for one. As cheap as node:http allows, so it adds little noise.
 */
const ANSWER = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1,
  model: 'bench-model',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'The capital of France is Paris, a city on the Seine known for its museums.',
      },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 250, completion_tokens: 16, total_tokens: 266 },
});

const chunk = (delta: Record<string, string>, finish: string | null): string =>
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'bench-model', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const STREAM =
  chunk({ role: 'assistant', content: '' }, null) +
  Array.from({ length: 18 }, (_, i) => chunk({ content: `word${i} ` }, null)).join('') +
  chunk({}, 'stop') +
  'data: [DONE]\n\n';

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (data: string) => (body += data));
  req.on('end', () => {
    if (body.includes('"stream":true')) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(STREAM);
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(ANSWER) });
      res.end(ANSWER);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(
    `${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`,
  );
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
