import { userInfo } from 'node:os';
import type { Command } from 'commander';

/**
 * `parapet approvals list|show|approve|deny` and `parapet approvals pins|repin`: a thin client of
 * the gateway's admin API. The token comes from PARAPET_ADMIN_TOKEN, never from a flag, so it
 * does not end up in shell history or process listings.
 */

interface ClientOptions {
  readonly url: string;
}

interface ApprovalView {
  readonly id: string;
  readonly status: string;
  readonly tool: string;
  readonly caller: string;
  readonly tenant: string;
  readonly arguments: unknown;
  readonly reason: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly decidedBy: string | null;
  readonly decisionReason: string | null;
}

interface PinView {
  readonly server: string;
  readonly tool: string;
  readonly status: string;
  readonly note: string | null;
  readonly updatedAt: string;
}

async function call(
  options: ClientOptions,
  method: 'GET' | 'POST',
  path: string,
  body?: object,
): Promise<unknown> {
  const token = process.env['PARAPET_ADMIN_TOKEN'];
  if (!token) throw new Error('set PARAPET_ADMIN_TOKEN to the gateway admin token');
  const response = await fetch(new URL(path, options.url), {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${method} ${path}: HTTP ${response.status}, not JSON`);
  }
  if (!response.ok) {
    const message = (json as { error?: { message?: string } }).error?.message ?? text;
    throw new Error(`${method} ${path}: HTTP ${response.status}: ${message}`);
  }
  return json;
}

function describe(approval: ApprovalView): string {
  const decided = approval.decidedBy
    ? `  decided by ${approval.decidedBy}${approval.decisionReason ? `: ${approval.decisionReason}` : ''}`
    : `  expires ${approval.expiresAt}`;
  return (
    `${approval.id}  ${approval.status.padEnd(8)}  ${approval.tool}  by ${approval.caller} (${approval.tenant})\n` +
    `  arguments ${JSON.stringify(approval.arguments)}\n  ${approval.reason}\n${decided}`
  );
}

function write(json: boolean, value: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

export function registerApprovalsCommand(program: Command): void {
  const approvals = program
    .command('approvals')
    .description(
      'Review and decide tool calls held for human approval (admin API; token in PARAPET_ADMIN_TOKEN)',
    )
    .option('--url <url>', 'gateway base URL', 'http://127.0.0.1:8080')
    .option('--json', 'print the API responses as JSON');
  const globals = (): { url: string; json: boolean } => {
    const options = approvals.opts<{ url: string; json?: boolean }>();
    return { url: options.url, json: options.json === true };
  };

  approvals
    .command('list')
    .description('List approvals, newest first (pending only unless --all)')
    .option('--all', 'every status')
    .option('--status <status>', 'pending|approved|denied|expired|used')
    .action(async (options: { all?: boolean; status?: string }) => {
      const { url, json } = globals();
      const status = options.all ? undefined : (options.status ?? 'pending');
      const result = (await call(
        { url },
        'GET',
        `/admin/approvals${status ? `?status=${encodeURIComponent(status)}` : ''}`,
      )) as {
        data: ApprovalView[];
      };
      write(json, result, () =>
        result.data.length === 0 ? 'no approvals' : result.data.map(describe).join('\n\n'),
      );
    });

  approvals
    .command('show <id>')
    .description('Show one approval')
    .action(async (id: string) => {
      const { url, json } = globals();
      const result = (await call(
        { url },
        'GET',
        `/admin/approvals/${encodeURIComponent(id)}`,
      )) as ApprovalView;
      write(json, result, () => describe(result));
    });

  for (const verdict of ['approve', 'deny'] as const) {
    approvals
      .command(`${verdict} <id>`)
      .description(verdict === 'approve' ? 'Approve a held tool call (single use)' : 'Deny a held tool call')
      .option('--reason <text>', 'why; kept with the decision')
      .action(async (id: string, options: { reason?: string }) => {
        const { url, json } = globals();
        const result = (await call({ url }, 'POST', `/admin/approvals/${encodeURIComponent(id)}/${verdict}`, {
          by: userInfo().username,
          ...(options.reason ? { reason: options.reason } : {}),
        })) as ApprovalView;
        write(json, result, () => describe(result));
      });
  }

  approvals
    .command('pins')
    .description('List pinned MCP tool definitions (changed/flagged only unless --all)')
    .option('--all', 'every pin')
    .action(async (options: { all?: boolean }) => {
      const { url, json } = globals();
      const result = (await call(
        { url },
        'GET',
        `/admin/mcp/pins${options.all ? '' : '?status=changed'}`,
      )) as {
        data: PinView[];
      };
      write(json, result, () =>
        result.data.length === 0
          ? 'no pins'
          : result.data
              .map((p) => `${p.server}/${p.tool}  ${p.status}  ${p.note ?? ''}  (${p.updatedAt})`)
              .join('\n'),
      );
    });

  approvals
    .command('repin <server> <tool>')
    .description('Approve the new definition of an MCP tool whose definition changed (or was flagged)')
    .action(async (server: string, tool: string) => {
      const { url, json } = globals();
      const result = (await call(
        { url },
        'POST',
        `/admin/mcp/pins/${encodeURIComponent(server)}/${encodeURIComponent(tool)}/approve`,
        { by: userInfo().username },
      )) as PinView;
      write(json, result, () => `${result.server}/${result.tool}  ${result.status}`);
    });
}
