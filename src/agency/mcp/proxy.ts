import type { FastifyInstance, FastifyPluginCallback } from 'fastify';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { errorBody, ParapetError } from '../../core/errors.ts';
import type { Scanner } from '../../core/scanner.ts';
import type { Approvals, Logger } from '../approvals.ts';
import { blockedNotice, createCallJudge, type CallVerdict, type ToolCallRef } from '../judge.ts';
import type { ToolPolicy } from '../tool-policy.ts';
import type { ToolPins } from './pins.ts';
import type { McpServerSpec } from './config.ts';
import { detectPoisoning } from './poisoning.ts';

/**
 * The MCP gateway: `/mcp/NAME` proxies the upstream MCP server NAME (streamable HTTP, or stdio
 * started from a command) under the same tool policies as the chat APIs:
 *
 * - `tools/list` is filtered: tools whose definition changed since it was pinned (a rug pull) or
 *   looks poisoned are withheld until an admin approves them, and tools the policy denies outright
 *   are removed;
 * - `tools/call` re-checks the tool's current definition against its pin, then the policy
 *   (conditions over the arguments), holding the call while a human approval is pending;
 * - tool results are scanned for indirect prompt injection and withheld when it is found.
 *
 * Downstream sessions are stateless (one short-lived MCP server per HTTP request); each upstream
 * has one shared client connection. Only tools are proxied (not resources or prompts).
 */

export interface McpGatewayOptions {
  readonly servers: readonly McpServerSpec[];
  /** The tool policy for a server (the gateway matches policies as model `mcp/NAME`). */
  readonly toolPolicy: (server: string) => ToolPolicy | undefined;
  readonly pins: ToolPins;
  readonly approvals?: Approvals | undefined;
  /** The `indirectInjection` scanner for tool results and descriptions; none disables both scans. */
  readonly injection?: Scanner | undefined;
  /** Findings scoring below this are ignored, as `threshold` in a policy check. Default 0.5. */
  readonly injectionThreshold?: number | undefined;
  /**
   * Scans one tool-result text and says why it must be withheld. Given, it replaces the plain
   * `injection` scan of results — the gateway passes the policy's own input checks here, so
   * results are judged with the policy's thresholds and modes.
   */
  readonly scanResult?: ((server: string, text: string) => Promise<string | undefined>) | undefined;
  readonly log?: Logger | undefined;
  readonly onVerdict?: ((server: string, call: ToolCallRef, verdict: CallVerdict) => void) | undefined;
  /** Bound on one JSON-RPC request body. Default 4 MiB. */
  readonly bodyLimit?: number | undefined;
}

export interface McpGateway {
  readonly plugin: FastifyPluginCallback;
  /** Close every upstream connection (stdio servers are stopped). */
  close(): Promise<void>;
}

// Upstream listings are paginated; the bound stops a hostile server from paging forever.
const MAX_LIST_PAGES = 50;

class Upstream {
  readonly spec: McpServerSpec;
  #client: Promise<Client> | undefined;

  constructor(spec: McpServerSpec) {
    this.spec = spec;
  }

  client(): Promise<Client> {
    this.#client ??= this.#connect().catch((error: unknown) => {
      this.#client = undefined;
      throw error;
    });
    return this.#client;
  }

  async #connect(): Promise<Client> {
    const client = new Client({ name: `parapet-${this.spec.name}`, version: '0.1.0' });
    const transport = this.spec.url
      ? new StreamableHTTPClientTransport(new URL(this.spec.url))
      : new StdioClientTransport({
          command: this.spec.command ?? '',
          args: [...(this.spec.args ?? [])],
          ...(this.spec.env ? { env: { ...this.spec.env } } : {}),
          ...(this.spec.cwd ? { cwd: this.spec.cwd } : {}),
          stderr: 'ignore',
        });
    client.onclose = () => {
      this.#client = undefined;
    };
    await client.connect(transport);
    return client;
  }

  async listAll(): Promise<Tool[]> {
    const client = await this.client();
    const tools: Tool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const result = await client.listTools(cursor === undefined ? {} : { cursor });
      tools.push(...result.tools);
      cursor = result.nextCursor;
      if (cursor === undefined) break;
    }
    return tools;
  }

  async close(): Promise<void> {
    const pending = this.#client;
    this.#client = undefined;
    if (pending) await (await pending.catch(() => undefined))?.close();
  }
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

export function createMcpGateway(options: McpGatewayOptions): McpGateway {
  const threshold = options.injectionThreshold ?? 0.5;
  const upstreams = new Map(options.servers.map((spec) => [spec.name, new Upstream(spec)]));
  for (const spec of options.servers) {
    if (!spec.url === !spec.command)
      throw new Error(`MCP server '${spec.name}' needs exactly one of url or command`);
  }

  /** The tools of a server that pass their pin and the poisoning check, with the verdict of each. */
  async function vetted(
    server: string,
    upstream: Upstream,
  ): Promise<Map<string, { tool: Tool; blocked?: string }>> {
    const result = new Map<string, { tool: Tool; blocked?: string }>();
    for (const tool of await upstream.listAll()) {
      const poisoning = await detectPoisoning(tool, options.injection, threshold);
      const verdict = options.pins.check(server, tool, poisoning);
      result.set(tool.name, verdict.allowed ? { tool } : { tool, blocked: verdict.reason });
      if (!verdict.allowed)
        options.log?.warn({ server, tool: tool.name, status: verdict.status }, 'MCP tool withheld');
    }
    return result;
  }

  /** Why a result must be withheld (the policy's input checks, or the injection scanner), if it must. */
  async function scanText(server: string, text: string): Promise<string | undefined> {
    if (options.scanResult) return options.scanResult(server, text);
    if (!options.injection) return undefined;
    const findings = await options.injection.scan(text, {
      stage: 'input',
      origin: 'tool_result',
      role: 'tool',
    });
    const finding = findings.find((f) => f.score >= threshold);
    return finding ? `it contains instructions aimed at the model (${finding.type})` : undefined;
  }

  async function scanResult(server: string, result: CallToolResult): Promise<string | undefined> {
    const texts: string[] = [];
    for (const item of result.content) {
      if (item.type === 'text') texts.push(item.text);
      else if (item.type === 'resource' && 'text' in item.resource) texts.push(item.resource.text);
    }
    if (result.structuredContent !== undefined) texts.push(JSON.stringify(result.structuredContent));
    for (const text of texts) {
      const reason = await scanText(server, text);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }

  function serverFor(name: string, upstream: Upstream): McpServer {
    const mcp = new McpServer({ name: `parapet/${name}`, version: '0.1.0' }, { capabilities: { tools: {} } });
    // The low-level handlers: a proxy answers for tools it does not define itself.
    const server = mcp.server;

    server.setRequestHandler(ListToolsRequestSchema, async () => {
      const tools = [...(await vetted(name, upstream)).values()]
        .filter((t) => t.blocked === undefined)
        .map((t) => t.tool);
      const policy = options.toolPolicy(name);
      return { tools: policy ? policy.filterOfferedTools(tools).kept : tools };
    });

    server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
      const { name: tool, arguments: args = {} } = request.params;
      const ref: ToolCallRef = { id: String(extra.requestId), name: tool, arguments: JSON.stringify(args) };
      // The definition is re-read on every call: a rug pull between listing and calling is caught.
      const known = (await vetted(name, upstream)).get(tool);
      if (!known) return errorResult(`[Parapet: MCP server '${name}' has no tool '${tool}']`);
      if (known.blocked !== undefined) {
        const verdict = { allowed: false, rule: 'parapet/mcp.pin', reason: known.blocked };
        options.onVerdict?.(name, ref, verdict);
        return errorResult(blockedNotice(ref, verdict));
      }
      const policy = options.toolPolicy(name);
      if (policy) {
        const judge = createCallJudge({
          policy,
          approvals: options.approvals,
          identity: { id: 'anonymous', tenant: 'default' },
          request: { id: String(extra.requestId), model: `mcp/${name}`, api: 'mcp' },
          context: { untrusted: false, calls: {} },
          signal: extra.signal,
          onVerdict: (call, verdict) => options.onVerdict?.(name, call, verdict),
        });
        const verdict = await judge(ref);
        if (!verdict.allowed) return errorResult(blockedNotice(ref, verdict));
      }
      const client = await upstream.client();
      const result = (await client.callTool({ name: tool, arguments: args }, undefined, {
        signal: extra.signal,
      })) as CallToolResult;
      const injection = await scanResult(name, result);
      if (injection !== undefined) {
        options.log?.warn({ server: name, tool, finding: injection }, 'MCP tool result withheld');
        return errorResult(`[Parapet: the result of tool '${tool}' was withheld: ${injection}]`);
      }
      return result;
    });
    return mcp;
  }

  const plugin: FastifyPluginCallback = (app: FastifyInstance, _options, done) => {
    // The MCP SDK reads the parsed JSON-RPC message; this scope parses JSON plainly.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: options.bodyLimit ?? 4 * 1024 * 1024 },
      (_request, text, parsed) => {
        try {
          parsed(null, JSON.parse(text as string) as unknown);
        } catch {
          parsed(new ParapetError('invalid_json', 'The MCP request body is not valid JSON.'), undefined);
        }
      },
    );

    app.all('/mcp/:name', async (request, reply) => {
      const { name } = request.params as { name: string };
      const upstream = upstreams.get(name);
      if (!upstream) {
        const error = new ParapetError('not_found', `No MCP server named '${name}' is configured.`);
        return reply.code(error.status).send(errorBody(error));
      }
      if (request.method !== 'POST') {
        // Stateless proxy: no server-initiated stream (GET) and no session to end (DELETE).
        const error = new ParapetError(
          'method_not_allowed',
          'The MCP gateway answers POST only (stateless).',
        );
        return reply.code(error.status).header('allow', 'POST').send(errorBody(error));
      }
      const server = serverFor(name, upstream);
      // No session id generator: stateless mode, one transport per request.
      const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true });
      reply.raw.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      reply.hijack();
      await transport.handleRequest(request.raw, reply.raw, request.body);
      return reply;
    });
    done();
  };

  return {
    plugin,
    async close() {
      await Promise.all([...upstreams.values()].map((u) => u.close()));
    },
  };
}
