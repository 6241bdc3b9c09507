import type { FastifyInstance } from 'fastify';
import type { Conversation } from '../core/conversation.ts';
import type { Guard } from '../core/guard.ts';
import type { LoadedPolicy } from '../policy/load.ts';
import { CHECKS } from '../scanners/index.ts';
import { openDatabase } from '../store/sqlite.ts';
import { adminRoutes } from './admin-routes.ts';
import { Approvals, webhookNotifier, type Logger } from './approvals.ts';
import {
  cachedToolPolicies,
  createToolGovernance,
  type ToolGovernance,
  type ToolGovernanceOptions,
} from './gateway.ts';
import type { McpServerSpec } from './mcp/config.ts';
import type { McpGateway } from './mcp/proxy.ts';
import { ToolPins } from './mcp/pins.ts';

/**
 * Everything the gateway needs for excessive-agency controls, built from one call:
 * tool governance for the chat APIs, the approvals store, the admin API and the MCP gateway.
 *
 *   const agency = createAgency({ dataDir, policies: () => store.policies, adminToken, mcp, log });
 *   const gateway = createGateway({ ..., tools: agency.tools });
 *   await agency.register(gateway.app);   // before listen()
 *   ...; await agency.close();            // after gateway.close()
 */
export interface AgencyOptions {
  /** `<dataDir>/parapet.db` holds approvals and MCP tool pins. */
  readonly dataDir: string;
  readonly policies: () => readonly LoadedPolicy[];
  /** PARAPET_ADMIN_TOKEN; without it the admin API is not mounted (approvals can still be waited on). */
  readonly adminToken?: string | undefined;
  readonly mcp?: readonly McpServerSpec[] | undefined;
  /** Slack-compatible webhook told about each new pending approval. */
  readonly webhookUrl?: string | undefined;
  readonly log?: Logger | undefined;
  /**
   * The compiled policy set; MCP tool results then go through the policy's own input checks
   * (indirect injection and any other check reading tool results) for the model `mcp/NAME`.
   * Without it, results are scanned by the registry's `indirectInjection` check at threshold 0.5.
   */
  readonly guard?: (() => Guard) | undefined;
  readonly onVerdict?: ToolGovernanceOptions['onVerdict'];
}

export interface Agency {
  readonly tools: ToolGovernance;
  readonly approvals: Approvals;
  readonly pins: ToolPins;
  /** Mount `/admin/*` and `/mcp/NAME` on the gateway's Fastify app (call before listen). */
  register(app: FastifyInstance): Promise<void>;
  close(): Promise<void>;
}

export function createAgency(options: AgencyOptions): Agency {
  const db = openDatabase(options.dataDir);
  const log = options.log;
  const approvals = new Approvals({
    db,
    log,
    notify: options.webhookUrl ? webhookNotifier(options.webhookUrl, log ? { log } : {}) : undefined,
  });
  const pins = new ToolPins(db);
  const toolPolicies = cachedToolPolicies();
  const tools = createToolGovernance({
    policies: options.policies,
    approvals,
    toolPolicies,
    onVerdict: options.onVerdict,
  });
  const guard = options.guard;
  const scanResult = guard
    ? async (server: string, text: string): Promise<string | undefined> => {
        const verdict = await guard()
          .begin(toolResultConversation(server, text), { requestId: `mcp:${server}`, identity: 'anonymous' })
          .checkInput();
        return verdict.block ? `${verdict.block.reason} (${verdict.block.rule})` : undefined;
      }
    : undefined;
  const servers = options.mcp ?? [];
  // The MCP SDK is large; it is loaded only when an MCP server is configured.
  let mcp: McpGateway | undefined;
  const startMcp = async (): Promise<McpGateway> => {
    const { createMcpGateway } = await import('./mcp/proxy.ts');
    return createMcpGateway({
      servers,
      // MCP requests are matched against policies as the model `mcp/NAME`.
      toolPolicy: (server) => toolPolicies(options.policies()).forModel(`mcp/${server}`),
      pins,
      approvals,
      injection: CHECKS.find((c) => c.key === 'indirectInjection')?.create({ action: 'block' }),
      scanResult,
      log,
    });
  };

  return {
    tools,
    approvals,
    pins,
    async register(app) {
      if (options.adminToken)
        await app.register(adminRoutes({ approvals, adminToken: options.adminToken, pins }));
      if (servers.length > 0) {
        mcp = await startMcp();
        await app.register(mcp.plugin);
      }
    },
    async close() {
      await mcp?.close();
      db.close();
    },
  };
}

/** One MCP tool result as a conversation, so the policy's input checks read it as a tool result. */
function toolResultConversation(server: string, text: string): Conversation {
  return {
    api: 'openai',
    endpoint: 'chat',
    model: `mcp/${server}`,
    stream: false,
    tools: [],
    messages: [
      {
        role: 'tool',
        toolCallId: 'mcp',
        toolCalls: [],
        segments: [{ text, role: 'tool', origin: 'tool_result', path: ['result'], messageIndex: 0 }],
      },
    ],
  };
}

export { parseMcpFlag, type McpServerSpec } from './mcp/config.ts';
