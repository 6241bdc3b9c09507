import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { DatabaseSync } from 'node:sqlite';
import { ParapetError } from '../core/errors.ts';
import { canonicalJson, sha256Hex } from './canonical.ts';

/**
 * Human approvals for tool calls. An approval is bound to the exact call — tenant, caller, tool,
 * the SHA-256 of the canonical arguments and the policy version — and is used at most once. They
 * live in SQLite so a restart loses no pending decision; waiters in this process are woken by an
 * event, and a slow poll picks up decisions made by another process sharing the database.
 */

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'used';

export interface ApprovalRecord {
  readonly id: string;
  readonly status: ApprovalStatus;
  readonly tenant: string;
  readonly caller: string;
  readonly tool: string;
  /** The parsed arguments, shown to the approver. */
  readonly arguments: unknown;
  readonly argumentsDigest: string;
  readonly policy: string;
  readonly policyVersion: string;
  /** The rule that asked for approval and why. */
  readonly rule: string;
  readonly reason: string;
  readonly createdAt: string;
  /** Pending: when the wait ends (then denied). Approved: the last moment it can be used. */
  readonly expiresAt: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly decisionReason: string | null;
  readonly usedAt: string | null;
}

export interface ApprovalRequest {
  readonly tenant: string;
  readonly caller: string;
  readonly tool: string;
  readonly args: unknown;
  readonly policy: string;
  readonly policyVersion: string;
  readonly rule: string;
  readonly reason: string;
  /** How long the approval may stay pending. */
  readonly timeoutMs: number;
}

export interface AuthorizeResult {
  readonly approved: boolean;
  readonly approval: ApprovalRecord;
  /** Safe to show to the caller. */
  readonly reason: string;
}

export interface Logger {
  warn(details: object, message: string): void;
}

export interface Notifier {
  (approval: ApprovalRecord): Promise<void>;
}

export interface ApprovalsOptions {
  readonly db: DatabaseSync;
  /** Called for each new pending approval; failures are logged, never fatal. */
  readonly notify?: Notifier | undefined;
  readonly log?: Logger | undefined;
  /** How long an approved call stays usable (a retry after the original wait ended). Default 10 min. */
  readonly approvedTtlMs?: number | undefined;
  /** How often waiters re-read the store for decisions made elsewhere. Default 1 s. */
  readonly pollMs?: number | undefined;
  readonly now?: (() => number) | undefined;
}

export const DEFAULT_WAIT_MS = 120_000;

interface Row {
  id: string;
  status: string;
  tenant: string;
  caller: string;
  tool: string;
  arguments: string;
  arguments_digest: string;
  policy: string;
  policy_version: string;
  rule: string;
  reason: string;
  created_at: number;
  expires_at: number;
  decided_by: string | null;
  decided_at: number | null;
  decision_reason: string | null;
  used_at: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS approvals (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  tenant TEXT NOT NULL,
  caller TEXT NOT NULL,
  tool TEXT NOT NULL,
  arguments TEXT NOT NULL,
  arguments_digest TEXT NOT NULL,
  policy TEXT NOT NULL,
  policy_version TEXT NOT NULL,
  rule TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  decided_by TEXT,
  decided_at INTEGER,
  decision_reason TEXT,
  used_at INTEGER
);
CREATE INDEX IF NOT EXISTS approvals_binding ON approvals (tenant, caller, tool, arguments_digest, policy_version, status);
CREATE INDEX IF NOT EXISTS approvals_status ON approvals (status, created_at);
`;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function toRecord(row: Row): ApprovalRecord {
  return {
    id: row.id,
    status: row.status as ApprovalStatus,
    tenant: row.tenant,
    caller: row.caller,
    tool: row.tool,
    arguments: JSON.parse(row.arguments) as unknown,
    argumentsDigest: row.arguments_digest,
    policy: row.policy,
    policyVersion: row.policy_version,
    rule: row.rule,
    reason: row.reason,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    decidedBy: row.decided_by,
    decidedAt: iso(row.decided_at),
    decisionReason: row.decision_reason,
    usedAt: iso(row.used_at),
  };
}

export class Approvals {
  readonly #db: DatabaseSync;
  readonly #events = new EventEmitter();
  readonly #notify: Notifier | undefined;
  readonly #log: Logger | undefined;
  readonly #approvedTtlMs: number;
  readonly #pollMs: number;
  readonly #now: () => number;

  constructor(options: ApprovalsOptions) {
    this.#db = options.db;
    this.#db.exec(SCHEMA);
    this.#notify = options.notify;
    this.#log = options.log;
    this.#approvedTtlMs = options.approvedTtlMs ?? 10 * 60_000;
    this.#pollMs = options.pollMs ?? 1000;
    this.#now = options.now ?? Date.now;
    // Every waiter listens on its own id; many concurrent held calls are expected.
    this.#events.setMaxListeners(0);
  }

  #row(id: string): Row | undefined {
    return this.#db.prepare('SELECT * FROM approvals WHERE id = ?').get(id) as Row | undefined;
  }

  #expireOverdue(): void {
    const now = this.#now();
    this.#db
      .prepare(
        "UPDATE approvals SET status = 'expired' WHERE status IN ('pending', 'approved') AND expires_at <= ?",
      )
      .run(now);
  }

  get(id: string): ApprovalRecord | undefined {
    this.#expireOverdue();
    const row = this.#row(id);
    return row ? toRecord(row) : undefined;
  }

  list(filter: { status?: ApprovalStatus | undefined; limit?: number | undefined } = {}): ApprovalRecord[] {
    this.#expireOverdue();
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    const rows = (filter.status
      ? this.#db
          .prepare('SELECT * FROM approvals WHERE status = ? ORDER BY created_at DESC LIMIT ?')
          .all(filter.status, limit)
      : this.#db
          .prepare('SELECT * FROM approvals ORDER BY created_at DESC LIMIT ?')
          .all(limit)) as unknown as Row[];
    return rows.map(toRecord);
  }

  /**
   * Find or open the approval for this exact call. An approved, unused approval with the same
   * binding is consumed at once (status `used`); a pending one is shared rather than duplicated.
   */
  request(request: ApprovalRequest): ApprovalRecord {
    this.#expireOverdue();
    const canonical = canonicalJson(request.args);
    const digest = sha256Hex(canonical);
    const binding = [request.tenant, request.caller, request.tool, digest, request.policyVersion] as const;
    const find = this.#db.prepare(
      'SELECT * FROM approvals WHERE tenant = ? AND caller = ? AND tool = ? AND arguments_digest = ? AND policy_version = ? AND status = ? ORDER BY created_at LIMIT 1',
    );
    const approved = find.get(...binding, 'approved') as Row | undefined;
    if (approved && this.consume(approved.id)) return this.get(approved.id) ?? toRecord(approved);
    const pending = find.get(...binding, 'pending') as Row | undefined;
    if (pending) return toRecord(pending);

    const now = this.#now();
    const id = randomUUID();
    this.#db
      .prepare(
        `INSERT INTO approvals (id, status, tenant, caller, tool, arguments, arguments_digest, policy, policy_version, rule, reason, created_at, expires_at)
         VALUES (?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        request.tenant,
        request.caller,
        request.tool,
        canonical,
        digest,
        request.policy,
        request.policyVersion,
        request.rule,
        request.reason,
        now,
        now + request.timeoutMs,
      );
    const record = this.get(id);
    if (!record) throw new ParapetError('internal_error', 'the approval could not be stored');
    if (this.#notify) {
      this.#notify(record).catch((error: unknown) =>
        this.#log?.warn({ approval: id, error: String(error) }, 'approval notification failed'),
      );
    }
    return record;
  }

  /** Record an admin's decision on a pending approval. */
  decide(id: string, verdict: 'approve' | 'deny', by: string, reason?: string): ApprovalRecord {
    const current = this.get(id);
    if (!current) throw new ParapetError('not_found', `No approval with id '${id}'.`);
    if (current.status !== 'pending') {
      throw new ParapetError('invalid_request', `Approval '${id}' is ${current.status}, not pending.`, {
        details: { status: current.status },
      });
    }
    const now = this.#now();
    const result = this.#db
      .prepare(
        "UPDATE approvals SET status = ?, decided_by = ?, decided_at = ?, decision_reason = ?, expires_at = ? WHERE id = ? AND status = 'pending'",
      )
      .run(
        verdict === 'approve' ? 'approved' : 'denied',
        by,
        now,
        reason ?? null,
        verdict === 'approve' ? now + this.#approvedTtlMs : now,
        id,
      );
    if (result.changes !== 1)
      throw new ParapetError('invalid_request', `Approval '${id}' was decided concurrently.`);
    this.#events.emit(id);
    const decided = this.get(id);
    if (!decided) throw new ParapetError('not_found', `No approval with id '${id}'.`);
    return decided;
  }

  /** Mark an approved approval used. False when it is not (or no longer) approved: single use. */
  consume(id: string): boolean {
    const now = this.#now();
    const result = this.#db
      .prepare(
        "UPDATE approvals SET status = 'used', used_at = ? WHERE id = ? AND status = 'approved' AND expires_at > ?",
      )
      .run(now, id, now);
    return result.changes === 1;
  }

  /**
   * Resolve once the approval is no longer pending, or after `timeoutMs` (then it is marked
   * expired, which counts as denied). An aborted signal resolves with the current state; rejects
   * only when the approval is unknown or the store fails.
   */
  wait(id: string, timeoutMs: number = DEFAULT_WAIT_MS, signal?: AbortSignal): Promise<ApprovalRecord> {
    return new Promise((resolve, reject) => {
      // Every store read is guarded: a failing store (closed at shutdown, disk error) ends the
      // wait with an error rather than throwing from a timer and crashing the process.
      const guarded = (step: () => void): void => {
        try {
          step();
        } catch (error) {
          cleanup();
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      };
      const settle = (): void => {
        const record = this.get(id);
        if (!record) {
          cleanup();
          reject(new ParapetError('not_found', `No approval with id '${id}'.`));
          return;
        }
        if (record.status === 'pending') return;
        cleanup();
        resolve(record);
      };
      const onEvent = (): void => {
        guarded(settle);
      };
      const timer = setTimeout(() => {
        guarded(() => {
          this.#db
            .prepare("UPDATE approvals SET status = 'expired' WHERE id = ? AND status = 'pending'")
            .run(id);
          settle();
        });
      }, timeoutMs);
      const poll = setInterval(onEvent, this.#pollMs);
      const onAbort = (): void => {
        guarded(() => {
          cleanup();
          const record = this.get(id);
          if (record) resolve(record);
          else reject(new ParapetError('not_found', `No approval with id '${id}'.`));
        });
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        clearInterval(poll);
        this.#events.off(id, onEvent);
        signal?.removeEventListener('abort', onAbort);
      };
      this.#events.on(id, onEvent);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) onAbort();
      else onEvent();
    });
  }

  /**
   * The whole flow for one held call: find or open the approval, wait for a decision, and use it.
   * `approved` is true only when this call consumed an approval bound to exactly these arguments.
   */
  async authorize(request: ApprovalRequest, signal?: AbortSignal): Promise<AuthorizeResult> {
    const opened = this.request(request);
    if (opened.status === 'used') {
      return { approved: true, approval: opened, reason: `approved by ${opened.decidedBy ?? 'an admin'}` };
    }
    const remaining = Math.max(0, Date.parse(opened.expiresAt) - this.#now());
    const decided = await this.wait(opened.id, remaining, signal);
    if (decided.status === 'approved' && this.consume(decided.id)) {
      return {
        approved: true,
        approval: this.get(decided.id) ?? decided,
        reason: `approved by ${decided.decidedBy ?? 'an admin'}`,
      };
    }
    const why =
      decided.status === 'denied'
        ? `denied by ${decided.decidedBy ?? 'an admin'}${decided.decisionReason ? `: ${decided.decisionReason}` : ''}`
        : decided.status === 'expired'
          ? 'no decision before the approval timed out'
          : decided.status === 'pending'
            ? 'the request ended before a decision'
            : 'the approval was already used';
    return {
      approved: false,
      approval: this.get(decided.id) ?? decided,
      reason: `approval ${decided.id}: ${why}`,
    };
  }
}

/**
 * A Slack-compatible webhook (`{"text": …}`). The message names the tool, the caller and the
 * approval id, never the argument values (they may hold customer data).
 */
export function webhookNotifier(url: string, options: { timeoutMs?: number; log?: Logger } = {}): Notifier {
  return async (approval) => {
    const text =
      `Parapet: tool call '${approval.tool}' by ${approval.caller} (tenant ${approval.tenant}) needs approval — ` +
      `${approval.reason}. Run: parapet approvals approve ${approval.id}  (or deny)`;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      if (!response.ok)
        options.log?.warn({ approval: approval.id, status: response.status }, 'approval webhook refused');
    } catch (error) {
      options.log?.warn({ approval: approval.id, error: String(error) }, 'approval webhook failed');
    }
  };
}
