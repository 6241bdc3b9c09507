import type { Finding, OwaspId } from './finding.ts';

/**
 * What a rule does when it fires. `allow` records only. `block` rejects the request or ends the
 * answer. The data actions rewrite the matched span: `redact` → `[REDACTED:TYPE]`, `mask` keeps the
 * last 4 characters, `hash` a short digest, `pseudonymize` a stable placeholder restored in the
 * answer. `approve` holds a tool call for a human.
 */
export type Action = 'allow' | 'block' | 'redact' | 'mask' | 'hash' | 'pseudonymize' | 'approve';

/** Actions that rewrite text rather than stop the exchange. */
export const REWRITE_ACTIONS: ReadonlySet<Action> = new Set(['redact', 'mask', 'hash', 'pseudonymize']);

/** `enforce` applies actions; `monitor` records what would have happened and changes nothing. */
export type Mode = 'enforce' | 'monitor';

export type Stage = 'input' | 'output';

export interface Decision {
  /** `policyName/stage.check`, e.g. `support-assistant/input.promptInjection`. */
  readonly rule: string;
  readonly policy: string;
  readonly stage: Stage;
  readonly action: Action;
  readonly mode: Mode;
  readonly owasp: OwaspId;
  /** Safe to show to the caller: names the technique, never the matched secret. */
  readonly reason: string;
  readonly findings: readonly Finding[];
}

/** True when the decision stops the exchange (enforce mode, block action). */
export function isBlocking(decision: Decision): boolean {
  return decision.mode === 'enforce' && decision.action === 'block';
}
