import type { DatabaseSync } from 'node:sqlite';
import { canonicalJson, sha256Hex } from '../canonical.ts';

/**
 * Pinned MCP tool definitions. The first definition seen for `server/tool` is recorded by its
 * SHA-256 (trust on first use) unless it looks poisoned. A later, different definition — a "rug
 * pull" — is held as a candidate and the tool is blocked until an admin approves the candidate.
 */

export type PinStatus = 'approved' | 'changed' | 'flagged';

export interface ToolPin {
  readonly server: string;
  readonly tool: string;
  readonly status: PinStatus;
  /** Digest of the definition that is allowed; null until an admin approves a flagged first sight. */
  readonly approvedDigest: string | null;
  /** The definition waiting for review (changed or flagged), with its digest. */
  readonly candidateDigest: string | null;
  readonly candidate: unknown;
  readonly note: string | null;
  readonly firstSeen: string;
  readonly updatedAt: string;
  readonly approvedBy: string | null;
}

export interface PinVerdict {
  readonly allowed: boolean;
  readonly status: PinStatus;
  /** Safe to show: why the tool is blocked. */
  readonly reason: string;
}

/** The part of a tool definition that the model reads and the pin covers. */
export interface PinnedDefinition {
  readonly name: string;
  readonly description?: string | undefined;
  readonly inputSchema?: unknown;
  readonly annotations?: unknown;
}

interface Row {
  server: string;
  tool: string;
  status: string;
  approved_digest: string | null;
  candidate_digest: string | null;
  candidate: string | null;
  note: string | null;
  first_seen: number;
  updated_at: number;
  approved_by: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS mcp_tool_pins (
  server TEXT NOT NULL,
  tool TEXT NOT NULL,
  status TEXT NOT NULL,
  approved_digest TEXT,
  candidate_digest TEXT,
  candidate TEXT,
  note TEXT,
  first_seen INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  approved_by TEXT,
  PRIMARY KEY (server, tool)
);
`;

export function definitionDigest(definition: PinnedDefinition): string {
  return sha256Hex(
    canonicalJson({
      name: definition.name,
      description: definition.description ?? '',
      inputSchema: definition.inputSchema ?? null,
      annotations: definition.annotations ?? null,
    }),
  );
}

function toPin(row: Row): ToolPin {
  return {
    server: row.server,
    tool: row.tool,
    status: row.status as PinStatus,
    approvedDigest: row.approved_digest,
    candidateDigest: row.candidate_digest,
    candidate: row.candidate === null ? null : (JSON.parse(row.candidate) as unknown),
    note: row.note,
    firstSeen: new Date(row.first_seen).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    approvedBy: row.approved_by,
  };
}

export class ToolPins {
  readonly #db: DatabaseSync;
  readonly #now: () => number;

  constructor(db: DatabaseSync, now: () => number = Date.now) {
    this.#db = db;
    this.#db.exec(SCHEMA);
    this.#now = now;
  }

  #row(server: string, tool: string): Row | undefined {
    return this.#db.prepare('SELECT * FROM mcp_tool_pins WHERE server = ? AND tool = ?').get(server, tool) as
      Row | undefined;
  }

  /**
   * Check a definition against its pin, recording it on first sight. `poisoning` is the reason
   * the definition looks poisoned, if it does; a flagged first sight is not trusted.
   */
  check(server: string, definition: PinnedDefinition, poisoning?: string): PinVerdict {
    const digest = definitionDigest(definition);
    const now = this.#now();
    const row = this.#row(server, definition.name);
    if (!row) {
      const flagged = poisoning !== undefined;
      this.#db
        .prepare(
          `INSERT INTO mcp_tool_pins (server, tool, status, approved_digest, candidate_digest, candidate, note, first_seen, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          server,
          definition.name,
          flagged ? 'flagged' : 'approved',
          flagged ? null : digest,
          flagged ? digest : null,
          flagged ? canonicalJson(definition) : null,
          poisoning ?? null,
          now,
          now,
        );
      return flagged
        ? {
            allowed: false,
            status: 'flagged',
            reason: `tool '${definition.name}' looks poisoned: ${poisoning}`,
          }
        : { allowed: true, status: 'approved', reason: 'pinned on first sight' };
    }
    if (row.approved_digest === digest)
      return { allowed: true, status: 'approved', reason: 'matches its pin' };
    if (row.candidate_digest !== digest) {
      this.#db
        .prepare(
          'UPDATE mcp_tool_pins SET status = ?, candidate_digest = ?, candidate = ?, note = ?, updated_at = ? WHERE server = ? AND tool = ?',
        )
        .run(
          row.approved_digest === null ? 'flagged' : 'changed',
          digest,
          canonicalJson(definition),
          poisoning ?? (row.approved_digest === null ? row.note : 'definition changed since it was pinned'),
          now,
          server,
          definition.name,
        );
    }
    const status: PinStatus = row.approved_digest === null ? 'flagged' : 'changed';
    return {
      allowed: false,
      status,
      reason:
        status === 'changed'
          ? `the definition of tool '${definition.name}' changed since it was pinned; an admin must re-approve it`
          : `tool '${definition.name}' is held for review${poisoning ? `: ${poisoning}` : ''}`,
    };
  }

  /** Approve the candidate definition of a tool. Undefined when there is no such pin. */
  approve(server: string, tool: string, by: string): ToolPin | undefined {
    const row = this.#row(server, tool);
    if (!row) return undefined;
    if (row.candidate_digest !== null) {
      this.#db
        .prepare(
          "UPDATE mcp_tool_pins SET status = 'approved', approved_digest = candidate_digest, candidate_digest = NULL, candidate = NULL, note = NULL, approved_by = ?, updated_at = ? WHERE server = ? AND tool = ?",
        )
        .run(by, this.#now(), server, tool);
    }
    const updated = this.#row(server, tool);
    return updated ? toPin(updated) : undefined;
  }

  list(filter?: 'changed'): ToolPin[] {
    const rows = (filter === 'changed'
      ? this.#db
          .prepare("SELECT * FROM mcp_tool_pins WHERE status != 'approved' ORDER BY updated_at DESC")
          .all()
      : this.#db.prepare('SELECT * FROM mcp_tool_pins ORDER BY server, tool').all()) as unknown as Row[];
    return rows.map(toPin);
  }
}
