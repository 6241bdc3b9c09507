import type { ZodType } from 'zod';
import type { Conversation, Origin, Role } from './conversation.ts';
import type { Action, Stage } from './decision.ts';
import type { Finding, OwaspId } from './finding.ts';
import type { SegmentEdit } from './guard.ts';

export interface ScanContext {
  readonly stage: Stage;
  readonly origin: Origin;
  readonly role: Role;
}

/**
 * A compiled detector. Built once when a policy loads (regexes, models, CEL compiled then) and pure
 * on the hot path: no I/O, and synchronous unless it truly needs the network (an LLM judge).
 */
export interface Scanner {
  readonly id: string;
  /**
   * The longest text one finding can span, in UTF-16 code units. The streaming hold-back buffer is
   * sized from it so a finding split across chunks is still caught. Must be finite.
   */
  readonly maxFindingLength: number;
  scan(text: string, context: ScanContext): readonly Finding[] | Promise<readonly Finding[]>;
  /**
   * Optional, for streaming: the earliest index of `text` at which a finding could still appear,
   * grow or vanish when more text is appended (an unfinished token, an open `-----BEGIN` block, a
   * markdown link missing its `)`); `text.length` when everything before the end is settled.
   * Text before it may be released at once. Without it the whole `maxFindingLength` is held, and
   * `maxFindingLength` stays the hard bound either way. Must be cheap: it runs on every delta.
   */
  pendingStart?(text: string): number;
  /**
   * Optional, for checks that depend on the request (the system prompt, values the caller sent):
   * called once per exchange, before the input checks run.
   */
  forExchange?(conversation: Conversation): ExchangeScan;
}

/** What a scanner derives from one request. */
export interface ExchangeScan {
  /** Scans this exchange in place of the shared scanner (it knows the request, e.g. a canary). */
  readonly scanner?: Scanner;
  /**
   * Rewrites to the request before it goes upstream (a canary added to the system prompt),
   * applied in enforce mode only; offsets index the segment's text as the client sent it.
   */
  readonly inputEdits?: readonly SegmentEdit[];
}

/** Options every check accepts under `spec.input.<key>` / `spec.output.<key>`. */
export interface CheckOptions {
  readonly action: Action;
  /** Findings scoring below this are ignored. */
  readonly threshold?: number | undefined;
  /** Which text the check reads; defaults to the check's `defaultOrigins`. */
  readonly origins?: readonly Origin[] | undefined;
}

/**
 * One registry entry: a policy key, the schema of its options, and how to build its scanner.
 * The policy schema is assembled from these entries, so adding a scanner is one new file and one
 * registry line.
 */
export interface CheckDefinition<O extends CheckOptions = CheckOptions> {
  /** Policy key, e.g. `promptInjection` (under `spec.input`) or `links` (under `spec.output`). */
  readonly key: string;
  readonly stage: Stage;
  readonly owasp: OwaspId;
  /** One line for the docs and `--help`. */
  readonly summary: string;
  readonly defaultOrigins: readonly Origin[];
  /** Actions this check supports; validation rejects others with a clear message. */
  readonly actions: readonly Action[];
  /** Zod schema of the options object (must accept `action`, `threshold`, `origins`). */
  readonly options: ZodType<O>;
  create(options: O): Scanner;
}
