import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { Pool } from 'undici';
import type { ApiStyle, Endpoint } from '../core/conversation.ts';
import { ParapetError } from '../core/errors.ts';
import type { SecretRef, UpstreamConfig } from '../config/schema.ts';

/** One call to a model server. `body` is sent as is (the pipeline decides if it re-serialises). */
export interface UpstreamRequest {
  readonly endpoint: Endpoint;
  readonly body: string | Buffer;
  readonly clientHeaders: IncomingHttpHeaders;
  readonly requestId: string;
  /** Aborted when the client goes away or the gateway shuts down. */
  readonly signal: AbortSignal;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Body bytes; reading fails with an upstream_* ParapetError (via `upstreamFailure`) on timeout. */
  readonly body: AsyncIterable<Buffer> | Iterable<Buffer>;
  /** Stop reading and release the connection. */
  discard(): void;
}

export interface Upstream {
  readonly name: string;
  /** Wire APIs this upstream speaks natively (the demo model speaks both). */
  readonly apis: readonly ApiStyle[];
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

export interface Router {
  readonly upstreams: readonly Upstream[];
  /** First upstream whose model globs match, or undefined. */
  route(model: string): Upstream | undefined;
  /** Model names written literally (no wildcard) in the routes, for `GET /v1/models`. */
  literalModels(): string[];
  close(): Promise<void>;
}

/**
 * Build the router. Globs are compiled once; `fallback` (the demo model) answers models no route
 * matches, when given.
 */
export function createRouter(
  routes: readonly { readonly upstream: Upstream; readonly models: readonly string[] }[],
  fallback?: { readonly upstream: Upstream; readonly models: readonly string[] },
): Router {
  const all = fallback ? [...routes, fallback] : [...routes];
  const compiled = all.map((r) => ({ upstream: r.upstream, matchers: r.models.map(compileGlob) }));
  return {
    upstreams: all.map((r) => r.upstream),
    route: (model) => compiled.find((r) => r.matchers.some((m) => m(model)))?.upstream,
    literalModels: () => [...new Set(all.flatMap((r) => r.models.filter((m) => !/[*?]/.test(m))))],
    close: async () => {
      await Promise.all(all.map((r) => r.upstream.close()));
    },
  };
}

/**
 * `*` matches any run of characters, `?` exactly one. Matched without RegExp: model names come
 * from callers, and the greedy two-pointer walk below is O(name × glob) whatever they send.
 */
export function compileGlob(glob: string): (name: string) => boolean {
  if (glob === '*') return () => true;
  if (!/[*?]/.test(glob)) return (name) => name === glob;
  return (name) => {
    let g = 0;
    let n = 0;
    let starG = -1;
    let starN = 0;
    while (n < name.length) {
      const c = glob[g];
      if (c === '*') {
        starG = g++;
        starN = n;
      } else if (c !== undefined && (c === '?' || c === name[n])) {
        g++;
        n++;
      } else if (starG !== -1) {
        g = starG + 1;
        n = ++starN;
      } else {
        return false;
      }
    }
    while (glob[g] === '*') g++;
    return g === glob.length;
  };
}

/** Endpoint paths of both wire APIs, relative to the server root. */
const ENDPOINT_PATHS: Readonly<Record<Endpoint, string>> = {
  chat: '/v1/chat/completions',
  completions: '/v1/completions',
  embeddings: '/v1/embeddings',
  messages: '/v1/messages',
};

/** Hop-by-hop headers (RFC 9110 §7.6.1), headers undici sets itself, and caller credentials. */
const DROPPED_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'expect',
  // The pipeline reads responses, so it asks for identity encoding rather than decompressing.
  'accept-encoding',
  'cookie',
  'authorization',
  'x-api-key',
  'x-request-id',
]);

/** Anthropic requires a version header; SDKs send their own, curl users often do not. */
const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

/** An HTTP model server reached through one keep-alive connection pool. */
export function createHttpUpstream(config: UpstreamConfig): Upstream {
  const url = new URL(config.baseUrl);
  // Accept both `http://host:8000` and `http://host:8000/v1` (the OpenAI SDK's baseURL form).
  const prefix = trimTrailingSlashes(url.pathname).replace(/\/v1$/, '');
  const apiKey = config.apiKey ? readSecret(config.name, config.apiKey) : undefined;
  const { connectMs, headersMs, idleMs } = config.timeouts;
  const pool = new Pool(url.origin, {
    connect: { timeout: connectMs },
    headersTimeout: headersMs,
    bodyTimeout: idleMs,
    keepAliveTimeout: 30_000,
    connections: 256,
  });
  const fixedHeaders = Object.fromEntries(
    Object.entries(config.headers).map(([k, v]) => [k.toLowerCase(), v]),
  );

  const headersFor = (request: UpstreamRequest): Record<string, string | string[]> => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(request.clientHeaders)) {
      if (value !== undefined && !DROPPED_HEADERS.has(name)) headers[name] = value;
    }
    Object.assign(headers, fixedHeaders);
    headers['content-type'] = 'application/json';
    headers['x-request-id'] = request.requestId;
    if (apiKey !== undefined) {
      if (config.api === 'anthropic') headers['x-api-key'] = apiKey;
      else headers.authorization = `Bearer ${apiKey}`;
    } else if (config.passClientAuth) {
      const { authorization, 'x-api-key': xApiKey } = request.clientHeaders;
      if (authorization !== undefined) headers.authorization = authorization;
      if (xApiKey !== undefined) headers['x-api-key'] = xApiKey;
    }
    if (config.api === 'anthropic') headers['anthropic-version'] ??= DEFAULT_ANTHROPIC_VERSION;
    return headers;
  };

  return {
    name: config.name,
    apis: [config.api],
    async send(request) {
      try {
        const response = await pool.request({
          method: 'POST',
          path: prefix + ENDPOINT_PATHS[request.endpoint],
          headers: headersFor(request),
          body: request.body,
          signal: request.signal,
        });
        const body = response.body;
        return {
          status: response.statusCode,
          headers: response.headers,
          body: mapBodyErrors(body, config),
          discard: () => body.destroy(),
        };
      } catch (error) {
        throw upstreamFailure(error, config);
      }
    },
    close: () => pool.close(),
  };
}

async function* mapBodyErrors(body: AsyncIterable<Buffer>, config: UpstreamConfig): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (error) {
    throw upstreamFailure(error, config);
  }
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/**
 * Turn a transport failure into the catalogue's error. Aborts pass through unchanged: the caller
 * aborted, so there is nobody to answer.
 */
export function upstreamFailure(error: unknown, config: Pick<UpstreamConfig, 'name' | 'timeouts'>): unknown {
  if (error instanceof ParapetError || isAbort(error)) return error;
  const code = errorCode(error);
  const details = { upstream: config.name };
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    const { connectMs, headersMs, idleMs } = config.timeouts;
    const limit =
      code === 'UND_ERR_CONNECT_TIMEOUT'
        ? `connect within ${connectMs} ms`
        : code === 'UND_ERR_BODY_TIMEOUT'
          ? `send data within ${idleMs} ms`
          : `answer within ${headersMs} ms`;
    return new ParapetError('upstream_timeout', `Upstream '${config.name}' did not ${limit}.`, { details });
  }
  return new ParapetError(
    'upstream_unavailable',
    `Upstream '${config.name}' could not be reached${code === undefined ? '' : ` (${code})`}.`,
    { details },
  );
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || errorCode(error) === 'UND_ERR_ABORTED');
}

function errorCode(error: unknown): string | undefined {
  // Connection failures may arrive wrapped (undici) or as an AggregateError (happy eyeballs).
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
    if (e instanceof AggregateError && e.errors[0] !== undefined) return errorCode(e.errors[0]);
  }
  return undefined;
}

function readSecret(upstream: string, ref: SecretRef): string {
  let value: string | undefined;
  if ('env' in ref) {
    value = process.env[ref.env];
    if (value === undefined || value.trim() === '') {
      throw new Error(`upstream '${upstream}': environment variable ${ref.env} (its apiKey) is not set`);
    }
  } else {
    try {
      value = readFileSync(ref.file, 'utf8');
    } catch (error) {
      throw new Error(
        `upstream '${upstream}': cannot read its apiKey file ${ref.file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        { cause: error },
      );
    }
    if (value.trim() === '') throw new Error(`upstream '${upstream}': its apiKey file ${ref.file} is empty`);
  }
  return value.trim();
}

function trimTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end--;
  return path.slice(0, end);
}
