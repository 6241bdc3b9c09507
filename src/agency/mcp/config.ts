import { z } from 'zod';
import type { McpServerSpec } from './proxy.ts';

/**
 * The config-file shape of one MCP server, for the gateway config schema:
 * `mcp: [{ name, url }]` for streamable HTTP, or `{ name, command, args?, env?, cwd? }` for stdio.
 */
export const mcpServerSchema = z
  .strictObject({
    name: z.string().regex(/^[\w.-]{1,64}$/, { error: "letters, digits, '.', '_' or '-', at most 64" }),
    url: z.url().optional(),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().min(1).optional(),
  })
  .refine((s) => (s.url === undefined) !== (s.command === undefined), {
    error: 'an MCP server needs exactly one of url (streamable HTTP) or command (stdio)',
  })
  .refine(
    (s) => s.url === undefined || (s.args === undefined && s.env === undefined && s.cwd === undefined),
    {
      error: 'args, env and cwd apply to stdio servers (command) only',
    },
  ) satisfies z.ZodType<McpServerSpec>;
