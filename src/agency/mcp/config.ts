import { z } from 'zod';

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

export interface McpServerSpec {
  readonly name: string;
  /** Streamable-HTTP endpoint of the upstream MCP server. */
  readonly url?: string | undefined;
  /** Or a stdio server started from this command. */
  readonly command?: string | undefined;
  readonly args?: readonly string[] | undefined;
  readonly env?: Readonly<Record<string, string>> | undefined;
  readonly cwd?: string | undefined;
}

/** `--mcp NAME=URL`: a streamable-HTTP MCP server exposed as `/mcp/NAME`. */
export function parseMcpFlag(value: string): McpServerSpec {
  const at = value.indexOf('=');
  const name = value.slice(0, at);
  const url = value.slice(at + 1);
  if (at <= 0 || !/^[\w.-]{1,64}$/.test(name) || !URL.canParse(url)) {
    throw new Error(`--mcp expects NAME=URL (NAME of letters, digits, '.', '_' or '-'), got '${value}'`);
  }
  return { name, url };
}
