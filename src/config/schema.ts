import { z } from 'zod';
import { mcpServerSchema } from '../agency/mcp/config.ts';

/**
 * The gateway's configuration file. One schema gives validation, defaults and the TypeScript
 * types. Strict objects: a misspelt key is an error, not a silently ignored setting.
 */

const MIB = 1024 * 1024;

/** Secrets are referenced, never written inline, so a config file can be committed and shared. */
export const secretRefSchema = z.union([
  z.strictObject({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name') }),
  z.strictObject({ file: z.string().min(1) }),
]);

export const upstreamTimeoutsSchema = z.strictObject({
  /** TCP (and TLS) connection setup. */
  connectMs: z.int().positive().default(5_000),
  /** Request sent → first response byte (status and headers). Models can think for a while. */
  headersMs: z.int().positive().default(120_000),
  /** Longest silence between two body chunks, streaming or not. */
  idleMs: z.int().positive().default(60_000),
});

export const upstreamSchema = z.strictObject({
  name: z.string().regex(/^[\w.-]{1,64}$/, 'letters, digits, `_`, `.` or `-` (1-64)'),
  /** Globs over the requested model name (`*` any run of characters, `?` one); first upstream that matches wins. */
  models: z.array(z.string().min(1)).min(1).default(['*']),
  /** Server root or its `/v1` prefix, e.g. `http://vllm:8000` or `https://api.openai.com/v1`. */
  baseUrl: z.url({ protocol: /^https?$/ }),
  api: z.enum(['openai', 'anthropic']).default('openai'),
  apiKey: secretRefSchema.optional(),
  /**
   * Forward the caller's own `Authorization` / `x-api-key` header when no `apiKey` is configured.
   * Off by default: a key meant for Parapet must not leak to a model server.
   */
  passClientAuth: z.boolean().default(false),
  timeouts: upstreamTimeoutsSchema.default({ connectMs: 5_000, headersMs: 120_000, idleMs: 60_000 }),
  /** Extra headers sent on every upstream request (e.g. `OpenAI-Organization`). */
  headers: z.record(z.string(), z.string()).default({}),
});

export const serverSchema = z.strictObject({
  /** Loopback by default so a laptop run is not exposed; containers set `0.0.0.0`. */
  host: z.string().min(1).default('127.0.0.1'),
  port: z.int().min(0).max(65_535).default(8080),
  bodyLimitBytes: z
    .int()
    .positive()
    .default(4 * MIB),
  /** Time a client has to send its whole request (slow-loris bound). */
  requestTimeoutMs: z.int().positive().default(30_000),
  /** On shutdown, how long in-flight requests and streams may finish before they are cut. */
  shutdownGraceMs: z.int().min(0).default(10_000),
});

export const configSchema = z.strictObject({
  server: serverSchema.default(serverSchema.parse({})),
  upstreams: z.array(upstreamSchema).default([]),
  /** Policy files or directories, relative to the config file. */
  policies: z.array(z.string().min(1)).default([]),
  /** Policy documents written inline; validated by the policy loader. */
  policy: z.array(z.unknown()).default([]),
  dataDir: z.string().min(1).default('./.parapet'),
  /** MCP servers exposed at `/mcp/NAME` under the same policies (`--mcp NAME=URL` adds one). */
  mcp: z.array(mcpServerSchema).default([]),
  approvals: z
    .strictObject({
      /** Slack-compatible webhook told about each tool call waiting for a human. */
      webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
    })
    .default({}),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .default({ level: 'info' }),
});

export type SecretRef = z.infer<typeof secretRefSchema>;
export type UpstreamConfig = z.infer<typeof upstreamSchema>;
export type ServerConfig = z.infer<typeof serverSchema>;
export type Config = z.infer<typeof configSchema>;
