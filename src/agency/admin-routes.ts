import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyPluginCallback, FastifyReply } from 'fastify';
import { errorBody, ParapetError } from '../core/errors.ts';
import type { Approvals, ApprovalStatus } from './approvals.ts';
import type { ToolPins } from './mcp/pins.ts';

/**
 * The admin API for approvals and MCP tool pins, as a Fastify plugin:
 *
 *   GET  /admin/approvals[?status=pending]     {"data": [approval, …]}
 *   GET  /admin/approvals/:id                  approval
 *   POST /admin/approvals/:id/approve|deny     {"reason"?, "by"?} → approval
 *   GET  /admin/mcp/pins[?status=changed]      {"data": [pin, …]}
 *   POST /admin/mcp/pins/:server/:tool/approve {"by"?} → pin
 *
 * Every route needs `Authorization: Bearer <PARAPET_ADMIN_TOKEN>`, compared in constant time.
 */

export interface AdminRoutesOptions {
  readonly approvals: Approvals;
  readonly adminToken: string;
  readonly pins?: ToolPins | undefined;
}

const STATUSES: ReadonlySet<string> = new Set(['pending', 'approved', 'denied', 'expired', 'used']);

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function send(reply: FastifyReply, error: ParapetError): FastifyReply {
  return reply.code(error.status).send(errorBody(error));
}

interface DecisionBody {
  readonly reason?: unknown;
  readonly by?: unknown;
}

function decisionFields(body: unknown): { reason: string | undefined; by: string } {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as DecisionBody;
  const reason =
    typeof fields.reason === 'string' && fields.reason !== '' ? fields.reason.slice(0, 1000) : undefined;
  const by = typeof fields.by === 'string' && fields.by !== '' ? `admin:${fields.by.slice(0, 100)}` : 'admin';
  return { reason, by };
}

export function adminRoutes(options: AdminRoutesOptions): FastifyPluginCallback {
  if (options.adminToken === '') throw new Error('adminRoutes needs a non-empty admin token');
  const expected = digest(options.adminToken);

  return (app: FastifyInstance, _options, done) => {
    // The host app may parse JSON its own way (the gateway keeps raw bytes); this scope parses
    // small admin bodies plainly.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_request, text, parsed) => {
        try {
          parsed(null, text === '' ? {} : (JSON.parse(text as string) as unknown));
        } catch {
          parsed(new ParapetError('invalid_json', 'The admin request body is not valid JSON.'), undefined);
        }
      },
    );
    app.addHook('onRequest', (request, reply, next) => {
      const header = request.headers.authorization;
      const match = typeof header === 'string' ? /^Bearer (\S+)$/i.exec(header) : null;
      if (!match?.[1]) {
        void send(
          reply,
          new ParapetError('unauthorized', 'The admin API needs "Authorization: Bearer <admin token>".'),
        );
        return;
      }
      // Digests have equal length, so timingSafeEqual never throws and leaks no length.
      if (!timingSafeEqual(digest(match[1]), expected)) {
        void send(reply, new ParapetError('forbidden', 'The admin token is not valid.'));
        return;
      }
      next();
    });

    app.get('/admin/approvals', (request, reply) => {
      const query = request.query as { status?: string; limit?: string };
      if (query.status !== undefined && !STATUSES.has(query.status)) {
        return send(
          reply,
          new ParapetError('invalid_request', `status must be one of ${[...STATUSES].join(', ')}.`, {
            param: 'status',
          }),
        );
      }
      const limit = query.limit === undefined ? undefined : Number(query.limit);
      return {
        data: options.approvals.list({
          status: query.status as ApprovalStatus | undefined,
          limit: Number.isFinite(limit) ? limit : undefined,
        }),
      };
    });

    app.get('/admin/approvals/:id', (request, reply) => {
      const { id } = request.params as { id: string };
      const record = options.approvals.get(id);
      return record ?? send(reply, new ParapetError('not_found', `No approval with id '${id}'.`));
    });

    for (const verdict of ['approve', 'deny'] as const) {
      app.post(`/admin/approvals/:id/${verdict}`, (request, reply) => {
        const { id } = request.params as { id: string };
        const { reason, by } = decisionFields(request.body);
        try {
          return options.approvals.decide(id, verdict, by, reason);
        } catch (error) {
          if (error instanceof ParapetError) return send(reply, error);
          throw error;
        }
      });
    }

    const pins = options.pins;
    if (pins) {
      app.get('/admin/mcp/pins', (request) => {
        const query = request.query as { status?: string };
        return { data: pins.list(query.status === 'changed' ? 'changed' : undefined) };
      });
      app.post('/admin/mcp/pins/:server/:tool/approve', (request, reply) => {
        const { server, tool } = request.params as { server: string; tool: string };
        const { by } = decisionFields(request.body);
        const pin = pins.approve(server, tool, by);
        return (
          pin ??
          send(reply, new ParapetError('not_found', `No pinned tool '${tool}' on MCP server '${server}'.`))
        );
      });
    }
    done();
  };
}
