import type { ZodType } from 'zod';
import type { Origin, Role } from './conversation.ts';
import type { Action, Stage } from './decision.ts';
import type { Finding, OwaspId } from './finding.ts';

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
