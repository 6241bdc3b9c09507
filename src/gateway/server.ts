import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ApiStyle, Endpoint } from '../core/conversation.ts';
import type { Decision } from '../core/decision.ts';
import { errorBody, ParapetError, policyViolation } from '../core/errors.ts';
import type { Exchange, Guard } from '../core/guard.ts';
import type { JsonObject, SseEvent, Translator } from '../core/provider.ts';
import type { Config } from '../config/schema.ts';
import type { ToolExchange, ToolGovernance } from '../agency/gateway.ts';
import {
  adapterFor,
  applySegmentEdits,
  parseSseStream,
  translateEvents,
  translatorFor,
} from '../providers/index.ts';
import { createDemoUpstream, DEMO_MODEL } from './demo-model.ts';
import { jsonErrorOffset } from './json-error.ts';
import { createMetrics } from './metrics.ts';
import type { GatewayMetrics } from './metrics.ts';
import { guardResponseBody, guardStream } from './stream-guard.ts';
import { createHttpUpstream, createRouter, isAbort } from './upstream.ts';
import type { Router, Upstream, UpstreamResponse } from './upstream.ts';

export interface GatewayOptions {
  readonly config: Config;
  /** The current compiled policy set; called once per request so hot reloads apply to the next one. */
  readonly getGuard: () => Guard;
  readonly log: Logger;
  readonly metrics?: GatewayMetrics;
  /** Defaults to one pool per configured upstream, plus the demo model. */
  readonly router?: Router;
  /** Tool-call governance (src/agency): offered tools filtered, every tool call checked. */
  readonly tools?: ToolGovernance | undefined;
}

export interface Gateway {
  readonly app: FastifyInstance;
  readonly metrics: GatewayMetrics;
  /** True from the start of `close()`: readiness answers 503 and new requests `shutting_down`. */
  readonly draining: boolean;
  /** Resolves with the bound address (`http://127.0.0.1:8080`). */
  listen(): Promise<string>;
  /**
   * Graceful stop: readiness turns 503, new requests get `shutting_down`, in-flight requests and
   * streams get `shutdownGraceMs` to finish, then are aborted; upstream pools close.
   */
  close(): Promise<void>;
}

/** The routes of both wire APIs and the endpoint each one is. */
const ROUTES: readonly { readonly url: string; readonly api: ApiStyle; readonly endpoint: Endpoint }[] = [
  { url: '/v1/chat/completions', api: 'openai', endpoint: 'chat' },
  { url: '/v1/completions', api: 'openai', endpoint: 'completions' },
  { url: '/v1/embeddings', api: 'openai', endpoint: 'embeddings' },
  { url: '/v1/messages', api: 'anthropic', endpoint: 'messages' },
];

/** A parsed request body with the bytes it came from, forwarded as is when nothing changes it. */
interface JsonBody {
  readonly value: unknown;
  readonly raw: Buffer;
}

/** Bound on a buffered (non-streaming) upstream answer. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Response headers that describe the upstream hop, not the answer. */
const UPSTREAM_ONLY_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'date',
  'server',
  'set-cookie',
  'x-request-id',
  'proxy-authenticate',
  'trailer',
  'upgrade',
]);

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export function defaultRouter(config: Config): Router {
  const demo = createDemoUpstream();
  const routes = config.upstreams.map((u) => ({ upstream: createHttpUpstream(u), models: u.models }));
  // With no upstream the demo answers every model; otherwise only its own name, after the routes.
  return createRouter(routes, { upstream: demo, models: routes.length === 0 ? ['*'] : [DEMO_MODEL] });
}

export function createGateway(options: GatewayOptions): Gateway {
  const { config, getGuard, log } = options;
  const metrics = options.metrics ?? createMetrics();
  const router = options.router ?? defaultRouter(config);
  const inFlight = new Set<AbortController>();
  let draining = false;

  // Typed as Fastify's logger interface so the instance keeps Fastify's default generics.
  const fastifyLog: FastifyBaseLogger = log;
  const app = Fastify({
    loggerInstance: fastifyLog,
    // No per-request log lines: they cost CPU on the hot path, and failures are logged below.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.server.bodyLimitBytes,
    requestTimeout: config.server.requestTimeoutMs,
    return503OnClosing: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, raw: Buffer, done) => {
    try {
      done(null, { value: JSON.parse(raw.toString('utf8')) as unknown, raw } satisfies JsonBody);
    } catch {
      done(invalidJson(raw), undefined);
    }
  });

  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    if (draining) {
      void reply.header('connection', 'close');
      done(new ParapetError('shutting_down', 'Parapet is shutting down; retry on another replica.'));
      return;
    }
    done();
  });

  app.setErrorHandler((error, request, reply) => {
    // The client left and its upstream call was aborted with it: nobody is waiting for an answer.
    if (isAbort(error) && request.raw.destroyed) {
      log.debug({ requestId: request.id }, 'client disconnected');
      return reply.code(499).send();
    }
    const failure = toParapetError(error);
    logFailure(log, request.id, failure, error);
    return reply.code(failure.status).type('application/json').send(errorBody(failure));
  });
  app.setNotFoundHandler((request, reply) => {
    const failure = new ParapetError(
      'not_found',
      `No route ${request.method} ${request.url.split('?')[0] ?? ''}.`,
    );
    return reply.code(failure.status).send(errorBody(failure));
  });

  for (const route of ROUTES) {
    app.post(route.url, (request, reply) => handle(route.url, route.api, route.endpoint, request, reply));
    app.route({
      method: ['GET', 'PUT', 'DELETE', 'PATCH'],
      url: route.url,
      handler: (request) => {
        throw new ParapetError('method_not_allowed', `${route.url} accepts POST, not ${request.method}.`);
      },
    });
  }

  app.get('/v1/models', (request, reply) => {
    const anthropic = request.headers['anthropic-version'] !== undefined;
    const ids = router.literalModels();
    const data = ids.map((id) =>
      anthropic
        ? { type: 'model', id, display_name: id, created_at: '1970-01-01T00:00:00Z' }
        : { id, object: 'model', created: 0, owned_by: 'parapet' },
    );
    return reply.send(
      anthropic
        ? { data, has_more: false, first_id: ids[0] ?? null, last_id: ids.at(-1) ?? null }
        : { object: 'list', data },
    );
  });
  app.get('/healthz', (_request, reply) => reply.send({ status: 'ok' }));
  app.get('/readyz', (_request, reply) =>
    draining ? reply.code(503).send({ status: 'draining' }) : reply.send({ status: 'ready' }),
  );
  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });

  async function handle(
    route: string,
    api: ApiStyle,
    endpoint: Endpoint,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const controller = new AbortController();
    inFlight.add(controller);
    metrics.inFlight(1);
    reply.raw.once('close', () => {
      // A close before the answer finished means the client left: stop the upstream call too.
      if (!reply.raw.writableFinished) controller.abort();
      inFlight.delete(controller);
      metrics.inFlight(-1);
      metrics.request(route, reply.raw.statusCode);
    });

    const body = request.body as JsonBody | undefined;
    if (
      body === undefined ||
      typeof body.value !== 'object' ||
      body.value === null ||
      Array.isArray(body.value)
    ) {
      throw new ParapetError('invalid_request', 'The request body must be a JSON object.');
    }
    const value = body.value as JsonObject;
    const adapter = adapterFor(api);
    const conversation = adapter.parseRequest(endpoint, value);
    const upstream = router.route(conversation.model);
    if (upstream === undefined) {
      throw new ParapetError(
        'model_not_found',
        `No upstream is configured for model '${conversation.model}'.`,
        {
          param: 'model',
        },
      );
    }

    const exchange = getGuard().begin(conversation, { requestId: request.id, identity: 'anonymous' });
    const verdict = await exchange.checkInput();
    if (verdict.decisions.length > 0) metrics.decisions(verdict.decisions);
    if (verdict.block) throw policyViolation(verdict.block);
    const edited = verdict.edits.some((e) => e.rewrites.length > 0);
    if (edited) applySegmentEdits(value, verdict.edits);
    const tools = options.tools?.begin({
      api,
      endpoint,
      conversation,
      body: value,
      requestId: request.id,
      identity: 'anonymous',
      inputDecisions: verdict.decisions,
      signal: controller.signal,
    });
    const requestBody = tools?.body ?? value;

    const upstreamApi = upstream.apis.includes(api) ? api : (upstream.apis[0] ?? api);
    const translator = translatorFor(api, upstreamApi);
    let upstreamEndpoint = endpoint;
    let upstreamBody: string | Buffer = body.raw;
    if (translator) {
      const translated = translator.request(endpoint, requestBody);
      upstreamEndpoint = translated.endpoint;
      upstreamBody = JSON.stringify(translated.body);
    } else if (edited || requestBody !== value) {
      upstreamBody = JSON.stringify(requestBody);
    }

    const sentAt = performance.now();
    const response = await upstream.send({
      endpoint: upstreamEndpoint,
      body: upstreamBody,
      clientHeaders: request.headers,
      requestId: request.id,
      signal: controller.signal,
    });
    metrics.upstreamLatency(upstream.name, (performance.now() - sentAt) / 1000);

    if (response.status >= 400) return relayUpstreamError(upstream, response, reply);
    const contentType = headerValue(response.headers['content-type']) ?? '';
    const context: AnswerContext = {
      api,
      endpoint,
      upstreamEndpoint,
      exchange,
      translator,
      response,
      reply,
      tools,
    };
    if (contentType.startsWith('text/event-stream'))
      return streamAnswer(context, controller.signal, request.id);
    return bufferedAnswer(context);
  }

  interface AnswerContext {
    readonly api: ApiStyle;
    readonly endpoint: Endpoint;
    readonly upstreamEndpoint: Endpoint;
    readonly exchange: Exchange;
    readonly translator: Translator | undefined;
    readonly response: UpstreamResponse;
    readonly reply: FastifyReply;
    readonly tools: ToolExchange | undefined;
  }

  async function bufferedAnswer(context: AnswerContext): Promise<void> {
    const { response, reply, exchange, translator, endpoint } = context;
    const raw = await readBounded(response);
    copyAnswerHeaders(response, reply);
    if (exchange.output.passthrough && !translator && !context.tools) {
      return void reply.code(response.status).send(raw);
    }
    let value: unknown;
    try {
      value = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new ParapetError('upstream_error', 'The upstream answered with a body that is not JSON.');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ParapetError(
        'upstream_error',
        'The upstream answered with a JSON body that is not an object.',
      );
    }
    const translated = translator
      ? translator.response(endpoint, value as JsonObject)
      : (value as JsonObject);
    const toolChecked = context.tools ? await context.tools.guardBody(translated) : undefined;
    const answer = toolChecked ?? translated;
    const guarded = await guardResponseBody(answer, {
      adapter: adapterFor(context.api),
      endpoint,
      output: exchange.output,
    });
    if (guarded.decisions.length > 0) metrics.decisions(guarded.decisions);
    if (guarded.block) throw policyViolation(guarded.block);
    // Unchanged answers go out as the upstream's own bytes: no re-serialisation drift.
    const rewritten = translator !== undefined || toolChecked !== undefined || guarded.changed;
    return void reply
      .code(response.status)
      .type('application/json')
      .send(rewritten ? JSON.stringify(guarded.body) : raw);
  }

  async function streamAnswer(context: AnswerContext, signal: AbortSignal, requestId: string): Promise<void> {
    const { response, reply, exchange, translator, api, endpoint } = context;
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined && !UPSTREAM_ONLY_HEADERS.has(name)) headers[name] = value;
    }
    headers['content-type'] = 'text/event-stream; charset=utf-8';
    headers['cache-control'] = 'no-cache';
    // Tell buffering proxies (nginx) to pass each event on at once.
    headers['x-accel-buffering'] = 'no';
    headers['x-request-id'] = requestId;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(response.status, headers);
    try {
      if (exchange.output.passthrough && !translator && !context.tools) {
        for await (const chunk of response.body) await write(res, chunk, signal);
      } else {
        let events: AsyncIterable<SseEvent> = parseSseStream(response.body);
        if (translator) events = translateEvents(events, translator, endpoint);
        if (context.tools) events = context.tools.guardEvents(events);
        const texts = guardStream(events, {
          adapter: adapterFor(api),
          endpoint,
          output: exchange.output,
          onDecision: (decision: Decision) => {
            metrics.decisions([decision]);
          },
        });
        for await (const text of texts) await write(res, text, signal);
      }
      res.end();
    } catch (error) {
      response.discard();
      if (signal.aborted || isAbort(error)) {
        res.destroy();
        return;
      }
      // Headers are gone: the failure becomes a final error event the client's SDK raises.
      const failure = toParapetError(error);
      logFailure(log, requestId, failure, error);
      res.end(errorEvent(api, failure));
    }
  }

  async function relayUpstreamError(
    upstream: Upstream,
    response: UpstreamResponse,
    reply: FastifyReply,
  ): Promise<void> {
    const raw = await readBounded(response);
    const contentType = headerValue(response.headers['content-type']) ?? '';
    // SDKs understand their provider's own error shapes, so JSON errors pass through unchanged.
    if (contentType.includes('json') && isJson(raw)) {
      copyAnswerHeaders(response, reply);
      return void reply.code(response.status).type(contentType).send(raw);
    }
    throw new ParapetError(
      'upstream_error',
      `Upstream '${upstream.name}' answered HTTP ${response.status}.`,
      {
        details: { upstream: upstream.name, upstream_status: response.status },
      },
    );
  }

  async function listen(): Promise<string> {
    return app.listen({ host: config.server.host, port: config.server.port });
  }

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    // Every caller (signal handler, tests, embedder) waits for the same drain to finish.
    closing ??= drainAndClose();
    return closing;
  }

  async function drainAndClose(): Promise<void> {
    draining = true;
    const closed = app.close();
    const deadline = Date.now() + config.server.shutdownGraceMs;
    while (inFlight.size > 0 && Date.now() < deadline) await sleep(Math.min(50, deadline - Date.now()));
    for (const controller of inFlight) controller.abort();
    app.server.closeAllConnections();
    await closed;
    await router.close();
  }

  return {
    app,
    metrics,
    get draining() {
      return draining;
    },
    listen,
    close,
  };
}

/** The one place any failure becomes a catalogue error; unknown errors never leak their message. */
export function toParapetError(error: unknown): ParapetError {
  if (error instanceof ParapetError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ParapetError('body_too_large', 'The request body exceeds the size limit.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ParapetError('unsupported_media_type', 'The request body must be application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ParapetError('invalid_json', 'The request body is empty.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ParapetError('invalid_request', 'The Content-Length header does not match the body.');
    default:
      return new ParapetError('internal_error', 'Parapet failed to handle the request.');
  }
}

function invalidJson(raw: Buffer): ParapetError {
  const position = jsonErrorOffset(raw.toString('utf8'));
  return new ParapetError(
    'invalid_json',
    position === undefined
      ? 'The request body is not valid JSON.'
      : `The request body is not valid JSON (error at character ${position}).`,
    position === undefined ? {} : { details: { position } },
  );
}

function logFailure(log: Logger, requestId: string, failure: ParapetError, cause: unknown): void {
  if (failure.code === 'internal_error') {
    log.error({ requestId, error: describeUnexpected(cause) }, 'request failed');
  } else if (failure.status >= 500) {
    log.warn({ requestId, code: failure.code, message: failure.message }, 'upstream failed');
  }
}

/**
 * What may be logged about an unexpected error: its name, code and stack frames. Not its message:
 * messages can quote their input (V8's JSON errors quote the text), and logs never hold prompts.
 */
export function describeUnexpected(error: unknown): Record<string, string> {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as NodeJS.ErrnoException).code;
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  return { name: error.name, ...(code === undefined ? {} : { code }), stack: frames.join('\n') };
}

async function readBounded(response: UpstreamResponse): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) {
      response.discard();
      throw new ParapetError('upstream_error', `The upstream answer exceeds ${MAX_RESPONSE_BYTES} bytes.`);
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
}

function copyAnswerHeaders(response: UpstreamResponse, reply: FastifyReply): void {
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined && !UPSTREAM_ONLY_HEADERS.has(name)) void reply.header(name, value);
  }
}

/** Write with backpressure; a client that stops reading cannot make the gateway buffer without bound. */
async function write(res: ServerResponse, chunk: string | Buffer, signal: AbortSignal): Promise<void> {
  if (!res.write(chunk)) await once(res, 'drain', { signal });
}

/** A final SSE event each client SDK raises as an API error. */
function errorEvent(api: ApiStyle, failure: ParapetError): string {
  const body = errorBody(failure);
  if (api === 'anthropic') {
    return `event: error\ndata: ${JSON.stringify({ type: 'error', error: { ...body.error, type: body.error.type } })}\n\n`;
  }
  return `data: ${JSON.stringify(body)}\n\n`;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isJson(raw: Buffer): boolean {
  try {
    JSON.parse(raw.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
